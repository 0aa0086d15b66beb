package io.streamlearn.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.MoaReference;
import io.streamlearn.core.schema.FeatureSpec;
import java.io.EOFException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our ARFF rows against MOA's: every file is read by {@link Dataset#read} and by MOA's own {@code ArffFileStream}
 * ({@link MoaReference#readArff}), and the two must give the same schema and the same rows, in order.
 */
class ArffReaderTest {

    @TempDir
    Path dir;

    /** The generators the project's tests and benchmarks draw from, each written by MOA's WriteStreamToARFFFile. */
    @ParameterizedTest
    @ValueSource(strings = {
        "generators.RandomTreeGenerator -r 3 -i 4 -c 3 -o 3 -v 30 -u 2",
        "generators.SEAGenerator -f 3 -i 5",
        "generators.HyperplaneGenerator -i 6",
        "generators.AgrawalGenerator -f 1 -i 7",
        "generators.RandomRBFGenerator -r 8 -i 8",
        "generators.RandomRBFGeneratorDrift -s 0.001 -r 9 -i 9",
        "ConceptDriftStream -s (generators.SEAGenerator -f 3 -i 2) -d (generators.SEAGenerator -f 4 -i 2) -p 150 -w 1"
    })
    void readsWhatMoasWriteStreamToArffFileWritesExactlyAsMoasArffFileStream(String generator) throws Exception {
        Path file = dir.resolve("generated.arff");
        GeneratedArff.write(generator, 300, file);

        Dataset ours = Dataset.read(file, "generated", null);
        Dataset moa = MoaReference.readArff(file, "generated");

        assertThat(Files.readAllLines(file)).filteredOn(line -> line.matches("[^@%].*,")).hasSize(300);
        assertThat(ours.schema()).isEqualTo(moa.schema());
        assertThat(ours.rows()).hasSize(300).containsExactlyElementsOf(moa.rows());
    }

    @Test
    void readsAGzipCompressedMoaFileAsMoaReadsThePlainOne() throws Exception {
        Path plain = dir.resolve("agrawal.arff");
        GeneratedArff.write("generators.AgrawalGenerator -f 2 -i 11", 300, plain);
        Path gz = gzip(plain, dir.resolve("agrawal.arff.gz"));

        assertThat(Dataset.read(gz, "agrawal", null)).isEqualTo(MoaReference.readArff(plain, "agrawal"));
    }

    @Test
    void readsQuotedNamesAndValuesCommentsAnyCaseAndTrailingCommasAsMoaDoes() throws Exception {
        Path file = write("weather.arff", """
                % written by hand, % comments anywhere
                @RELATION 'my weather'

                @Attribute 'wind speed' NUMERIC
                @attribute "sky cover" {sunny, 'partly cloudy', "over cast"}   % three values
                @ATTRIBUTE humidity real
                @attribute days integer
                @attribute play {yes,no}

                @DATA
                1.5,sunny,0.25,3,yes,
                ?, 'partly cloudy' ,?,4,no
                % a comment line among the rows

                2,"over cast",0.5,?,?,
                -0.5e1,?,1E-3,7,'yes'\r
                """);

        Dataset ours = Dataset.read(file, "weather", null);

        assertThat(ours).isEqualTo(MoaReference.readArff(file, "weather"));
        assertThat(ours.schema().features()).extracting(FeatureSpec::name)
                .containsExactly("wind speed", "sky cover", "humidity", "days");
        assertThat(ours.schema().features().get(1).values()).containsExactly("sunny", "partly cloudy", "over cast");
        assertThat(ours.rows()).extracting(LabeledRow::features).containsExactly(
                Map.of("wind speed", 1.5, "sky cover", "sunny", "humidity", 0.25, "days", 3.0),
                Map.of("sky cover", "partly cloudy", "days", 4.0),
                Map.of("wind speed", 2.0, "sky cover", "over cast", "humidity", 0.5),
                Map.of("wind speed", -5.0, "humidity", 0.001, "days", 7.0));
        assertThat(ours.rows()).extracting(LabeledRow::label).containsExactly("yes", "no", null, "yes");
    }

    /** Sparse rows list index-value pairs; an absent entry is 0, which for a nominal attribute is its first value. */
    @Test
    void readsSparseRowsAsMoaDoes() throws Exception {
        Path file = write("sparse.arff", """
                @relation sparse
                @attribute a numeric
                @attribute b numeric
                @attribute colour {red,green,blue}
                @attribute c numeric
                @attribute class {neg,pos}
                @data
                {0 1.5, 2 blue, 4 pos}
                {1 2,3 -1}
                {2 "green", 4 pos,}
                0,0,red,0,neg
                """);

        Dataset ours = Dataset.read(file, "sparse", null);

        assertThat(ours).isEqualTo(MoaReference.readArff(file, "sparse"));
        assertThat(ours.rows()).containsExactly(
                new LabeledRow(Map.of("a", 1.5, "b", 0.0, "colour", "blue", "c", 0.0), "pos"),
                new LabeledRow(Map.of("a", 0.0, "b", 2.0, "colour", "red", "c", -1.0), "neg"),
                new LabeledRow(Map.of("a", 0.0, "b", 0.0, "colour", "green", "c", 0.0), "pos"),
                new LabeledRow(Map.of("a", 0.0, "b", 0.0, "colour", "red", "c", 0.0), "neg"));
    }

    @Test
    void takesATargetThatIsNotTheLastAttribute() throws Exception {
        Path file = write("small.arff", "@relation r\n@attribute y {a,b}\n@attribute x numeric\n@data\nb,2,\na,?,\n");

        Dataset data = Dataset.read(file, "small", "y");

        assertThat(data.schema().target().name()).isEqualTo("y");
        assertThat(data.rows()).containsExactly(new LabeledRow(Map.of("x", 2.0), "b"), new LabeledRow(Map.of(), "a"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "string | string", "DATE 'yyyy-MM-dd' | date", "relational | relational"})
    void refusesStringDateAndRelationalAttributesWhichMoasLoaderWouldReadAsNumbers(String declaration, String type)
            throws Exception {
        Path file = write("typed.arff", "@relation r\n@attribute 'when' " + declaration + "\n@attribute y {a,b}\n@data\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Dataset.read(file, "typed", null))
                .withMessage("ARFF attribute 'when' is " + type
                        + ": MOA's ARFF loader reads only numeric (numeric, real, integer) and nominal ({...}) attributes");
    }

    @Test
    void refusesADenseRowWithMissingValuesWhichMoaWouldFillWithZeros() throws Exception {
        Path file = write("short.arff", "@relation r\n@attribute y {a,b}\n@attribute x numeric\n@attribute z numeric\n"
                + "@data\na,1,2\nb,1\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Dataset.read(file, "short", "y"))
                .withMessage("ARFF line 7 has 2 values, the header declares 3 attributes");
    }

    @Test
    void refusesARowWithMoreValuesThanAttributes() throws Exception {
        Path file = write("long.arff", "@relation r\n@attribute x numeric\n@attribute y {a,b}\n@data\n1,a\n1,a,3\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Dataset.read(file, "long", null))
                .withMessageStartingWith("ARFF line 6: a value beyond the 2 attributes the header declares");
    }

    @Test
    void addsANominalValueTheHeaderDoesNotDeclareAsMoaDoes() throws Exception {
        Path file = write("undeclared.arff", "@relation r\n@attribute x {a,b}\n@attribute y {yes,no}\n@data\n"
                + "a,yes\nc,maybe\nb,no\nc,yes\n");

        Dataset ours = Dataset.read(file, "undeclared", null);

        assertThat(ours).isEqualTo(MoaReference.readArff(file, "undeclared"));
        assertThat(ours.schema().features().get(0).values()).containsExactly("a", "b", "c");
        assertThat(ours.schema().target().values()).containsExactly("yes", "no", "maybe");
        assertThat(ours.rows()).extracting(LabeledRow::label).containsExactly("yes", "maybe", "no", "yes");
    }

    @Test
    void refusesAQuestionMarkInASparseNominalEntryWhichMoaTakesForAValue() throws Exception {
        Path file = write("sparse.arff", "@relation r\n@attribute x numeric\n@attribute y {a,b}\n@data\n{0 1, 1 ?}\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Dataset.read(file, "sparse", null))
                .withMessageStartingWith("ARFF attribute 'y' has '?' among its values");
    }

    @Test
    void namesTheAttributeAndLineOfAValueThatIsNotANumber() throws Exception {
        Path file = write("nan.arff", "@relation r\n@attribute x numeric\n@attribute z numeric\n@attribute y {a,b}\n"
                + "@data\n1,2,a\n\n1,two,b\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Dataset.read(file, "nan", null))
                .withMessage("ARFF line 8: a value of numeric attribute 'z' is not a number (For input string: \"two\")");
    }

    @Test
    void refusesAFileWithoutADataSection() throws Exception {
        Path file = write("header.arff", "@relation r\n@attribute x numeric\n@attribute y {a,b}\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Dataset.read(file, "header", null))
                .withMessage("ARFF file has no @data section");
    }

    /** MOA's loader logs an I/O failure and ends the data there; a cut-off download must not pass for a short file. */
    @Test
    void failsOnATruncatedGzipFileInsteadOfEndingTheDataEarly() throws Exception {
        Path plain = dir.resolve("sea.arff");
        GeneratedArff.write("generators.SEAGenerator -i 3", 2000, plain);
        byte[] gzip = Files.readAllBytes(gzip(plain, dir.resolve("whole.arff.gz")));
        Path truncated = Files.write(dir.resolve("sea.arff.gz"), Arrays.copyOf(gzip, gzip.length / 2));

        assertThatThrownBy(() -> Dataset.read(truncated, "sea", null)).isInstanceOf(EOFException.class);
    }

    private static Path gzip(Path plain, Path gz) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        return gz;
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
