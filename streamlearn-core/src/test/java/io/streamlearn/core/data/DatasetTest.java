package io.streamlearn.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {

    @TempDir
    Path dir;

    @Test
    void readsTheBundledElectricityArffWithItsDeclaredSchema() throws Exception {
        Dataset data = Dataset.read(BundledDatasets.electricityArff(), "electricity", null);

        FeatureSchema schema = data.schema();
        assertThat(data.rows()).hasSize(45_312);
        assertThat(schema.model()).isEqualTo("electricity");
        assertThat(schema.target()).isEqualTo(new FeatureSpec("class", FeatureType.NOMINAL, List.of("UP", "DOWN"),
                MissingPolicy.MISSING, null));
        assertThat(schema.features()).extracting(FeatureSpec::name).containsExactly(
                "date", "day", "period", "nswprice", "nswdemand", "vicprice", "vicdemand", "transfer");
        FeatureSpec day = schema.features().get(1);
        assertThat(day.type()).isEqualTo(FeatureType.NOMINAL);
        assertThat(day.values()).containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(schema.features()).filteredOn(f -> !f.name().equals("day"))
                .allSatisfy(f -> assertThat(f.type()).isEqualTo(FeatureType.NUMERIC));
    }

    @Test
    void keepsElectricityRowsInFileOrderWithTypedValues() throws Exception {
        Dataset data = Dataset.read(BundledDatasets.electricityArff(), "electricity", null);

        LabeledRow first = data.rows().get(0);
        assertThat(first.label()).isEqualTo("UP");
        assertThat(first.features()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "date", 0.0, "day", "2", "period", 0.0, "nswprice", 0.056443, "nswdemand", 0.439155,
                "vicprice", 0.003467, "vicdemand", 0.422915, "transfer", 0.414912));
        assertThat(data.rows()).filteredOn(row -> row.label().equals("DOWN")).hasSize(26_075);
        assertThat(data.rows()).filteredOn(row -> row.label().equals("UP")).hasSize(19_237);
    }

    @Test
    void readsQuotedArffNamesAndValuesAndMissingValues() throws Exception {
        Path file = write("weather.arff", """
                % a comment
                @relation weather
                @attribute 'wind speed' numeric
                @attribute sky {sunny, 'partly cloudy'}
                @attribute play {yes,no}

                @data
                1.5,sunny,yes
                ?,'partly cloudy',no
                2,?,?
                """);

        Dataset data = Dataset.read(file, "weather", null);

        assertThat(data.schema().features()).extracting(FeatureSpec::name).containsExactly("wind speed", "sky");
        assertThat(data.schema().features().get(1).values()).containsExactly("sunny", "partly cloudy");
        assertThat(data.rows()).extracting(LabeledRow::features).containsExactly(
                Map.of("wind speed", 1.5, "sky", "sunny"),
                Map.of("sky", "partly cloudy"),
                Map.of("wind speed", 2.0));
        assertThat(data.rows()).extracting(LabeledRow::label).containsExactly("yes", "no", null);
    }

    @Test
    void infersNumericNominalAndTimestampColumnsOfACsvWithATargetThatIsNotLast() throws Exception {
        Path file = write("trips.csv", """
                temp,city,label,at,rain
                21.5,Paris,yes,2024-05-01T10:00:00Z,0.2
                ,Rome,no,2024-05-01T11:00:00Z,NA
                19,Paris,?,2024-05-01T12:00:00Z,1.5
                17.25,Oslo,yes,,0
                """);

        Dataset data = Dataset.read(file, "trips", "label");

        assertThat(data.schema().target()).isEqualTo(inferred("label", FeatureType.NOMINAL, "yes", "no"));
        assertThat(data.schema().features()).containsExactly(
                inferred("temp", FeatureType.NUMERIC),
                inferred("city", FeatureType.NOMINAL, "Paris", "Rome", "Oslo"),
                inferred("at", FeatureType.TIMESTAMP),
                inferred("rain", FeatureType.NUMERIC));
        assertThat(data.rows()).extracting(LabeledRow::features).containsExactly(
                Map.of("temp", 21.5, "city", "Paris", "at", "2024-05-01T10:00:00Z", "rain", 0.2),
                Map.of("city", "Rome", "at", "2024-05-01T11:00:00Z"),
                Map.of("temp", 19.0, "city", "Paris", "at", "2024-05-01T12:00:00Z", "rain", 1.5),
                Map.of("temp", 17.25, "city", "Oslo", "rain", 0.0));
        assertThat(data.rows()).extracting(LabeledRow::label).containsExactly("yes", "no", null, "yes");
    }

    @Test
    void ordersNominalCsvValuesByFirstAppearanceEvenWhenTheColumnStartsWithNumbers() throws Exception {
        Path file = write("codes.csv", """
                code,y
                1,a
                2,b
                x,a
                1,b
                """);

        Dataset data = Dataset.read(file, "codes", "y");

        assertThat(data.schema().features().get(0).values()).containsExactly("1", "2", "x");
    }

    @Test
    void readsGzipCompressedCsv() throws Exception {
        Path file = dir.resolve("small.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("x,y\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
        }

        Dataset data = Dataset.read(file, "small", null);

        assertThat(data.rows()).hasSize(2);
        assertThat(data.schema().target().values()).containsExactly("a", "b");
    }

    @Test
    void refusesATargetThatIsNotAColumn() throws Exception {
        Path file = write("small.csv", "x,y\n1,a\n");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Dataset.read(file, "small", "z"))
                .withMessageContaining("target 'z' is not a column");
    }

    @Test
    void refusesACsvLineWithTheWrongNumberOfFields() throws Exception {
        Path file = write("ragged.csv", "x,y\n1,a\n2\n");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Dataset.read(file, "ragged", null))
                .withMessageContaining("CSV line 3 has 1 fields");
    }

    @Test
    void refusesAnUnknownFileFormat() throws Exception {
        Path file = write("data.json", "{}");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Dataset.read(file, "data", null))
                .withMessageContaining("expected .arff or .csv");
    }

    @Test
    void dropRemovesColumnsFromTheSchemaAndEveryRow() throws Exception {
        Dataset data = Dataset.read(write("bikes.csv", "id,hour,casual,cnt\n1,0,3,16\n2,1,8,40\n"), "bikes", "cnt")
                .drop(List.of("id", "casual"));

        assertThat(data.schema().features()).extracting(FeatureSpec::name).containsExactly("hour");
        assertThat(data.schema().target().name()).isEqualTo("cnt");
        assertThat(data.rows()).extracting(LabeledRow::features).containsExactly(Map.of("hour", 0.0), Map.of("hour", 1.0));
        assertThat(data.rows()).extracting(LabeledRow::label).containsExactly(16.0, 40.0);
    }

    @Test
    void dropRefusesTheTargetAndUnknownColumns() throws Exception {
        Dataset data = Dataset.read(write("bikes.csv", "hour,casual,cnt\n0,3,16\n"), "bikes", "cnt");

        assertThatIllegalArgumentException().isThrownBy(() -> data.drop(List.of("cnt"))).withMessageContaining("target");
        assertThatIllegalArgumentException().isThrownBy(() -> data.drop(List.of("registered")))
                .withMessageContaining("'registered'");
        assertThatIllegalArgumentException().isThrownBy(() -> data.drop(List.of("hour", "casual")))
                .withMessageContaining("no features");
    }

    @Test
    void limitKeepsTheFirstRows() throws Exception {
        Dataset data = Dataset.read(write("small.csv", "x,y\n1,a\n2,b\n3,a\n"), "small", null);

        assertThat(data.limit(2).rows()).extracting(row -> row.features().get("x")).containsExactly(1.0, 2.0);
        assertThat(data.limit(10)).isSameAs(data);
    }

    private static FeatureSpec inferred(String name, FeatureType type, String... values) {
        return new FeatureSpec(name, type, List.of(values), MissingPolicy.MISSING, null);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
