package io.streamlearn.tools;

import io.streamlearn.core.data.GeneratedArff;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a synthetic dataset with one of MOA's generators, so a large dataset is a command, not a download. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write rows of a MOA stream generator as an ARFF file with MOA's own WriteStreamToARFFFile. "
                + "The generators are seeded by their own options (-i, and -r for the random tree; default 1): the "
                + "same arguments give the same bytes.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--generator", required = true, paramLabel = "SPEC",
            description = "MOA stream spec, e.g. \"generators.RandomTreeGenerator -r 1 -i 1 -c 2 -o 3 -v 300 -u 5\"")
    String generator;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "Rows to write")
    int rows;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "ARFF file to write (its folder is created); read it with --data FILE")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GeneratedArff.write(generator, rows, out);
        PrintWriter print = spec.commandLine().getOut();
        print.printf(Locale.ROOT, "Wrote %,d rows of %s to %s%n", rows, generator, out);
        print.flush();
        return 0;
    }
}
