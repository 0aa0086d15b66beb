package io.streamlearn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.MoaReference;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.schema.FeatureSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

    /** The high-cardinality set of datasets/README.md, at 500 rows instead of 150,000. */
    private static final String HIGH_CARDINALITY = "generators.RandomTreeGenerator -r 1 -i 1 -c 2 -o 3 -v 300 -u 5";

    @TempDir
    Path dir;

    @Test
    void writesTheSameBytesForTheSameArgumentsAsAFileMoaAndDatasetReadAlike() throws Exception {
        Path first = dir.resolve("first/hicard.arff");
        Path second = dir.resolve("second/hicard.arff");

        String output = generate(HIGH_CARDINALITY, "500", first);
        generate(HIGH_CARDINALITY, "500", second);

        assertThat(output).isEqualTo("Wrote 500 rows of " + HIGH_CARDINALITY + " to " + first + System.lineSeparator());
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
        Dataset moa = MoaReference.readArff(first, "hicard");
        assertThat(moa.rows()).hasSize(500);
        assertThat(moa.schema().features()).filteredOn(FeatureSpec::isNominal).hasSize(3)
                .allSatisfy(feature -> assertThat(feature.values()).hasSize(300));
        assertThat(Dataset.read(first, "hicard", null)).isEqualTo(moa);
    }

    @Test
    void anotherSeedGivesOtherRows() throws Exception {
        Path seeded = dir.resolve("seeded.arff");
        Path reseeded = dir.resolve("reseeded.arff");

        generate("generators.SEAGenerator -i 1", "50", seeded);
        generate("generators.SEAGenerator -i 2", "50", reseeded);

        assertThat(Files.readAllBytes(seeded)).isNotEqualTo(Files.readAllBytes(reseeded));
    }

    @Test
    void refusesASpecThatNamesNoMoaStream() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnTools.commandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("generate", "--generator", "trees.HoeffdingTree", "--rows", "10",
                "--out", dir.resolve("x.arff").toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("invalid MOA stream spec 'trees.HoeffdingTree': Class not found: trees.HoeffdingTree");
        assertThat(dir.resolve("x.arff")).doesNotExist();
    }

    private static String generate(String generator, String rows, Path out) {
        StringWriter output = new StringWriter();
        CommandLine commandLine = StreamlearnTools.commandLine();
        commandLine.setOut(new PrintWriter(output));

        int exit = commandLine.execute("generate", "--generator", generator, "--rows", rows, "--out", out.toString());

        assertThat(exit).isZero();
        return output.toString();
    }
}
