package org.gimvi.tools.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gimvi.engine.random.Rng;

/**
 * Which shared genes are held out. The splits never depend on a method's seed: every method and seed
 * is scored on the same genes.
 */
public final class GeneSplits {
    private GeneSplits() {
    }

    /** The gimVI paper's held-out genes of the 33-gene osmFISH panel, by index in the loom's gene order. */
    static final int[] PAPER_OSMFISH_HELD_OUT = {0, 3, 7, 9, 19, 27, 31};
    static final String[] PAPER_OSMFISH_NAMES = {"Gad2", "Cnr1", "Crh", "Lamp5", "Pdgfra", "Ttr", "Apln"};
    static final long SPLIT_SEED = 0;
    public static final int FOLDS = 10;

    /** One split: indices into the shared-gene list. */
    public record Split(int fold, int[] heldOut, int[] training) {
    }

    /**
     * The paper protocol: the osmFISH panel's seven genes when the shared genes are that panel in its
     * original order; otherwise a seeded 80/20 split of the shared genes.
     */
    public static Split paper(String[] shared) {
        if (isOsmFishPanel(shared)) {
            return split(0, PAPER_OSMFISH_HELD_OUT, shared.length);
        }
        int n = shared.length;
        int nTrain = Math.max(1, (int) (n * 0.8));
        int[] perm = new Rng(SPLIT_SEED).permutation(n);
        int[] held = Arrays.copyOfRange(perm, nTrain, n);
        Arrays.sort(held);
        return split(0, held, n);
    }

    /** 10 seeded folds over the shared genes; every gene is held out exactly once. */
    public static List<Split> kfold(String[] shared) {
        int n = shared.length;
        int folds = Math.min(FOLDS, n);
        int[] perm = new Rng(SPLIT_SEED + 1).permutation(n);
        List<Split> out = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<Integer> held = new ArrayList<>();
            for (int i = f; i < n; i += folds) {
                held.add(perm[i]);
            }
            int[] h = held.stream().mapToInt(Integer::intValue).sorted().toArray();
            out.add(split(f, h, n));
        }
        return out;
    }

    static boolean isOsmFishPanel(String[] shared) {
        if (shared.length != 33) {
            return false;
        }
        for (int q = 0; q < PAPER_OSMFISH_HELD_OUT.length; q++) {
            if (!shared[PAPER_OSMFISH_HELD_OUT[q]].toLowerCase(Locale.ROOT).equals(PAPER_OSMFISH_NAMES[q].toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static Split split(int fold, int[] heldOut, int n) {
        boolean[] held = new boolean[n];
        for (int h : heldOut) {
            held[h] = true;
        }
        int[] training = new int[n - heldOut.length];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!held[i]) {
                training[k++] = i;
            }
        }
        return new Split(fold, heldOut.clone(), training);
    }
}
