package io.streamlearn.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsQuotedFieldsWithCommasLineBreaksAndDoubledQuotes() throws Exception {
        Path file = write("quoted.csv", """
                "city, country",note,"the ""label\"""
                "Paris, FR","said ""hi""
                and left",yes
                Rome,"",no
                O'Brien's town,plain,yes
                """);

        Dataset data = Dataset.read(file, "quoted", null);

        assertThat(data.schema().features()).containsExactly(
                nominal("city, country", "Paris, FR", "Rome", "O'Brien's town"),
                nominal("note", "said \"hi\"\nand left", "plain"));
        assertThat(data.schema().target()).isEqualTo(nominal("the \"label\"", "yes", "no"));
        assertThat(data.rows()).containsExactly(
                new LabeledRow(Map.of("city, country", "Paris, FR", "note", "said \"hi\"\nand left"), "yes"),
                new LabeledRow(Map.of("city, country", "Rome"), "no"),
                new LabeledRow(Map.of("city, country", "O'Brien's town", "note", "plain"), "yes"));
    }

    @Test
    void readsAByteOrderMarkAndCrlfLineEndings() throws Exception {
        Path file = dir.resolve("excel.csv");
        Files.write(file, "\uFEFFtemp,label\r\n21.5,yes\r\n\r\n19,no\r\n".getBytes(StandardCharsets.UTF_8));

        Dataset data = Dataset.read(file, "excel", null);

        assertThat(data.schema().features()).containsExactly(
                new FeatureSpec("temp", FeatureType.NUMERIC, List.of(), MissingPolicy.MISSING, null));
        assertThat(data.rows()).containsExactly(
                new LabeledRow(Map.of("temp", 21.5), "yes"), new LabeledRow(Map.of("temp", 19.0), "no"));
    }

    @Test
    void countsLinesOfMultiLineRecordsWhenARecordHasTheWrongNumberOfFields() throws Exception {
        Path file = write("ragged.csv", "x,y\n1,\"two\nlines\"\n\n2\n");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Dataset.read(file, "ragged", null))
                .withMessage("CSV line 5 has 1 fields, the header has 2");
    }

    @Test
    void refusesAQuoteThatIsNeverClosed() throws Exception {
        Path file = write("open.csv", "x,y\n1,a\n2,\"b\n3,c\n");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Dataset.read(file, "open", null))
                .withMessageStartingWith("CSV record from line 3: ");
    }

    private static FeatureSpec nominal(String name, String... values) {
        return new FeatureSpec(name, FeatureType.NOMINAL, List.of(values), MissingPolicy.MISSING, null);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
