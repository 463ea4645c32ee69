package org.gimvi.tools;

import org.gimvi.model.io.InputFormatException;
import org.gimvi.tools.benchmark.BenchmarkCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./gimvi}: one subcommand per job. */
@Command(name = "gimvi", mixinStandardHelpOptions = true, version = "gimvi-java 0.1.0",
        description = "gimVI (Lopez et al. 2019) in pure Java: integrate scRNA-seq with spatial transcriptomics and "
                + "impute the genes a spatial assay did not measure.",
        subcommands = {DemoCommand.class, BenchmarkCommand.class, EvaluateCommand.class, InfoCommand.class,
            SimulateCommand.class, TrainCommand.class, ImputeCommand.class, PlotCommand.class})
public final class GimviCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version line of {@code gimvi --version} (one place for it: the command annotation). */
    public static String version() {
        return GimviCli.class.getAnnotation(Command.class).version()[0];
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line; bad input becomes one clear message and exit code 2, never a stack trace. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new GimviCli());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof InputFormatException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException || ex instanceof java.io.UncheckedIOException
                    || ex instanceof java.io.IOException) {
                if (System.console() != null) {
                    line.getErr().print("\r\033[K"); // the message replaces a progress line being redrawn
                }
                line.getErr().println("gimvi " + line.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        // a mistyped option is one line too, pointing at the help, not the whole usage text
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine sub = ex.getCommandLine();
            sub.getErr().println(sub.getCommandName().equals("gimvi") ? "gimvi: " + ex.getMessage()
                    : "gimvi " + sub.getCommandName() + ": " + ex.getMessage() + " (see gimvi " + sub.getCommandName()
                    + " --help)");
            return 2;
        });
        return cl.execute(args);
    }
}
