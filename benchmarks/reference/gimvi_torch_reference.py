#!/usr/bin/python3
"""Independent PyTorch re-implementation of scvi-tools' GIMVI training, written from
../shared/docs/gimvi-spec.md (not scvi-tools code), used only to cross-check the Java model's scores on
the osmFISH / Allen SMART-seq pair of issue #3.

Why it exists: the Java gimVI scores below the authors' published means on that pair. If this script,
which follows the same spec with PyTorch's own kernels, initialisation and RNG, lands where the Java
model lands, the gap is not an implementation bug of the Java port.

Run (Debian: `apt-get install python3-torch`; ~80 s per seed on 2 cores):
    /usr/bin/python3 benchmarks/reference/gimvi_torch_reference.py \
        ../shared/data/AllenCortex_SMARTseq_osmFISH33_TISSUEtests 0 1 2
With GIMVI_SCHEME=2019 in the environment it trains with the 2019 three-step scheme instead.
Prints, per seed, the median over the 7 held-out genes of `spearman` and `spearman_norm`, defined as in
`./gimvi benchmark` (prediction = expected count given the cell's training-gene total L).
"""
import gzip
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.stats import spearmanr

# GIMVI_SCHEME=2019 switches to the original JVAETrainer step (gimvi-spec.md §12): classifier step,
# then a fool-only generator step with its own Adam, then the ELBO step; classifier without weight decay.
SCHEME = os.environ.get("GIMVI_SCHEME", "current")
HELD_OUT = [0, 3, 7, 9, 19, 27, 31]
EPS = 1e-8


def read_table(path):
    with gzip.open(path, "rt") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return header, rows


def load_pair(folder, seq_file="scRNA_count.txt.gz"):
    _, seq_rows = read_table(f"{folder}/{seq_file}")  # genes x cells, gene name first
    seq_genes = [r[0] for r in seq_rows]
    seq = np.array([[float(v) for v in r[1:]] for r in seq_rows], dtype=np.float32).T
    sp_genes, sp_rows = read_table(f"{folder}/Spatial_count.txt.gz")  # cells x genes
    sp = np.array([[float(v) for v in r] for r in sp_rows], dtype=np.float32)
    order = [seq_genes.index(g) for g in sp_genes]
    return seq[:, order], sp, sp_genes


def fc(n_in, n_out, dropout):
    return nn.Sequential(nn.Linear(n_in, n_out), nn.BatchNorm1d(n_out, eps=1e-3, momentum=0.01),
                         nn.ReLU(), nn.Dropout(dropout))


class JointVae(nn.Module):
    def __init__(self, n_genes, mappings, lib_prior, n_latent=10, hidden=64, dropout=0.2):
        super().__init__()
        self.mappings = mappings  # per dataset: indices into the seq gene space
        self.heads = nn.ModuleList([fc(len(m), hidden, dropout) for m in mappings])
        self.shared = fc(hidden, hidden, dropout)
        self.z_mean = nn.Linear(hidden, n_latent)
        self.z_var = nn.Linear(hidden, n_latent)
        self.l_fc = fc(n_genes, 128, dropout)  # library encoder for dataset 0 (seq) only
        self.l_mean = nn.Linear(128, 1)
        self.l_var = nn.Linear(128, 1)
        self.px_scale = nn.Linear(n_latent, n_genes)
        self.px_dropout = nn.Linear(n_latent, n_genes)
        self.px_r = nn.Parameter(torch.randn(n_genes, len(mappings)))  # gene-batch, one batch per dataset
        self.lib_mean, self.lib_var = lib_prior

    def inference(self, x, m):
        xl = torch.log1p(x)
        h = self.shared(self.heads[m](xl))
        qz_m, qz_v = self.z_mean(h), torch.exp(self.z_var(h))
        z = qz_m + qz_v.sqrt() * torch.randn_like(qz_m)
        out = {"qz_m": qz_m, "qz_v": qz_v, "z": z}
        if m == 0:
            hl = self.l_fc(xl)
            ql_m, ql_v = self.l_mean(hl), torch.exp(self.l_var(hl)) + 1e-4
            out.update(ql_m=ql_m, ql_v=ql_v, library=ql_m + ql_v.sqrt() * torch.randn_like(ql_m))
        else:
            out["library"] = torch.log(x.sum(1, keepdim=True))
        return out

    def generative(self, z, library, m):
        scale = torch.softmax(self.px_scale(z), dim=-1)
        scale = scale / scale[:, self.mappings[m]].sum(1, keepdim=True)
        return scale, torch.exp(library) * scale, self.px_dropout(z), torch.exp(self.px_r[:, m])

    def loss(self, x, m, kl_weight):
        inf = self.inference(x, m)
        _, rate, pi, theta = self.generative(inf["z"], inf["library"], m)
        idx = self.mappings[m]
        mu, pi, theta = rate[:, idx], pi[:, idx], theta[idx]
        log_theta_mu = torch.log(theta + mu + EPS)
        nb_case = x * (torch.log(mu + EPS) - log_theta_mu) + torch.lgamma(x + theta) \
            - torch.lgamma(theta) - torch.lgamma(x + 1)
        theta_part = theta * (torch.log(theta + EPS) - log_theta_mu)
        if m == 0:  # ZINB
            softplus_neg_pi = F.softplus(-pi)
            zero = F.softplus(-pi + theta_part) - softplus_neg_pi
            nonzero = -softplus_neg_pi - pi + theta_part + nb_case
            logp = torch.where(x < EPS, zero, nonzero)
        else:  # NB
            logp = theta_part + nb_case
        rec = -logp.sum(1)
        kl = 0.5 * (inf["qz_v"] + inf["qz_m"] ** 2 - 1 - torch.log(inf["qz_v"])).sum(1)
        if m == 0:
            sp, sq = math.sqrt(self.lib_var), inf["ql_v"].sqrt()
            kl = kl + (torch.log(sp / sq) + (inf["ql_v"] + (inf["ql_m"] - self.lib_mean) ** 2)
                       / (2 * self.lib_var) - 0.5).sum(1)
        return (rec + kl_weight * kl).sum(), inf["z"]


def classifier(n_latent):
    return nn.Sequential(fc(n_latent, 32, 0.1), fc(32, 32, 0.1), fc(32, 32, 0.1), nn.Linear(32, 2))


def clf_loss(clf, z, labels, true_class):
    logp = torch.log_softmax(clf(z), dim=1)
    target = F.one_hot(labels, 2).float()
    if not true_class:
        target = 1 - target
    return -(logp * target).sum(1).mean()


def split(n, rng, batch_size=128):
    perm = rng.permutation(n)
    n_train = math.ceil(0.9 * n)
    if n_train % batch_size < 3:
        n_train -= n_train % batch_size
    return perm[:n_train]


def run(folder, seed, epochs=200, kappa=5.0, seq_file="scRNA_count.txt.gz"):
    seq, sp, genes = load_pair(folder, seq_file)
    train_genes = [g for g in range(sp.shape[1]) if g not in HELD_OUT]
    seq = seq[seq[:, train_genes].sum(1) > 0]
    sp = sp[sp[:, train_genes].sum(1) > 0]
    sp_train = sp[:, train_genes]
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    loglib = np.log(seq.sum(1))
    vae = JointVae(seq.shape[1], [list(range(seq.shape[1])), train_genes],
                   (float(loglib.mean()), float(loglib.var())))
    clf = classifier(10)
    opt1 = torch.optim.Adam(vae.parameters(), lr=1e-3, eps=0.01, weight_decay=1e-6)
    opt2 = torch.optim.Adam(clf.parameters(), lr=1e-3, eps=0.01, weight_decay=0 if SCHEME == "2019" else 1e-6)
    optg = torch.optim.Adam(vae.parameters(), lr=1e-3, eps=0.01)
    data = [torch.from_numpy(seq), torch.from_numpy(sp_train)]
    train = [split(len(d), rng) for d in data]
    driver = int(np.argmax([len(t) for t in train]))
    vae.train(), clf.train()
    t0 = time.time()
    for epoch in range(epochs):
        kl_weight = min(1.0, epoch / 400)
        batches = []
        for t in train:
            p = rng.permutation(t)
            batches.append([p[i:i + 128] for i in range(0, len(p), 128)])
        for step in range(len(batches[driver])):
            xs = [data[m][batches[m][step % len(batches[m])]] for m in range(2)]
            if SCHEME == "2019":
                # (a) discriminator on detached z, per-dataset classifier calls, losses summed
                zs = [vae.inference(xs[m], m)["z"] for m in range(2)]
                d = sum(clf_loss(clf, zs[m].detach(), torch.full((len(xs[m]),), m, dtype=torch.long), True) for m in range(2)) * kappa
                opt2.zero_grad(); d.backward(); opt2.step()
                # (b) fool step with its own Adam on the generator
                f = sum(clf_loss(clf, zs[m], torch.full((len(xs[m]),), m, dtype=torch.long), False) for m in range(2)) * kappa
                optg.zero_grad(); f.backward(); optg.step()
                # (c) ELBO step
                losses, _ = zip(*[vae.loss(xs[m], m, kl_weight) for m in range(2)])
                loss = sum(losses) / sum(len(x) for x in xs)
                opt1.zero_grad(); loss.backward(); opt1.step()
                continue
            losses, zs = zip(*[vae.loss(xs[m], m, kl_weight) for m in range(2)])
            n_obs = sum(len(x) for x in xs)
            labels = torch.cat([torch.full((len(x),), m, dtype=torch.long) for m, x in enumerate(xs)])
            loss = sum(losses) / n_obs + kappa * clf_loss(clf, torch.cat(zs), labels, False)
            opt1.zero_grad()
            loss.backward()
            opt1.step()
            zs = [vae.inference(xs[m], m)["z"] for m in range(2)]
            closs = kappa * clf_loss(clf, torch.cat(zs).detach(), labels, True)
            opt2.zero_grad()
            closs.backward()
            opt2.step()
    train_s = time.time() - t0
    vae.eval()
    with torch.no_grad():
        x = torch.from_numpy(sp_train)
        inf = vae.inference(x, 1)
        _, rate, _, _ = vae.generative(inf["qz_m"], inf["library"], 1)
    pred = rate.numpy()[:, HELD_OUT]
    L = sp_train.sum(1)
    s, sn = [], []
    for j, g in enumerate(HELD_OUT):
        truth = sp[:, g]
        s.append(spearmanr(pred[:, j], truth).correlation)
        sn.append(spearmanr(pred[:, j] / L, truth / L).correlation)
    return float(np.median(s)), float(np.median(sn)), train_s


if __name__ == "__main__":
    torch.set_num_threads(2)
    folder = sys.argv[1]
    seeds = [int(s) for s in sys.argv[2:]] or [0]
    results = []
    for seed in seeds:
        s, sn, t = run(folder, seed)
        results.append((s, sn))
        print(f"seed {seed}: median spearman {s:.3f}  spearman_norm {sn:.3f}  train {t:.0f}s", flush=True)
    r = np.array(results)
    print(f"mean over {len(seeds)} seeds: spearman {r[:, 0].mean():.3f}  spearman_norm {r[:, 1].mean():.3f}")
