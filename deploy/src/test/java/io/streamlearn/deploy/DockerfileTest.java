package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/Dockerfile, read as text (no Docker here): a wrapper build stage, a JRE stage, a non-root user. */
class DockerfileTest {

    private static List<String> instructions() throws Exception {
        return Files.readString(RepositoryFiles.deploy("Dockerfile")).replace("\\\n", " ").lines()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    @Test
    void buildsWithTheMavenWrapperInAJdkStageAndRunsOnAJreOfTheBuildsJavaRelease() throws Exception {
        String release = System.getProperty("java.release");
        List<String> from = instructions().stream().filter(line -> line.startsWith("FROM ")).toList();
        assertThat(from).containsExactly("FROM eclipse-temurin:" + release + "-jdk AS build",
                "FROM eclipse-temurin:" + release + "-jre");
        assertThat(instructions()).anyMatch(line -> line.startsWith("RUN ") && line.contains("./mvnw -B"));
        assertThat(instructions()).contains("COPY --from=build /src/streamlearn-cli/target/streamlearn.jar /app/streamlearn.jar");
    }

    /** The production jar only (ProductionJarTest lists it): the tools and the JMH benchmarks are not even built. */
    @Test
    void buildsOnlyTheProductionJar() throws Exception {
        List<String> builds = instructions().stream().filter(line -> line.startsWith("RUN ") && line.contains("./mvnw"))
                .toList();
        assertThat(builds).singleElement().asString().contains("-pl streamlearn-cli -am package");
        assertThat(instructions()).doesNotContain("COPY streamlearn-tools streamlearn-tools", "COPY bench bench");
        List<String> copiedFromBuild = instructions().stream().filter(line -> line.startsWith("COPY --from=build "))
                .toList();
        assertThat(copiedFromBuild).containsExactly(
                "COPY --from=build /src/streamlearn-cli/target/streamlearn.jar /app/streamlearn.jar");
    }

    @Test
    void runsAsANumericNonRootUser() throws Exception {
        List<String> users = instructions().stream().filter(line -> line.startsWith("USER ")).toList();
        assertThat(users).hasSize(1);
        int uid = Integer.parseInt(users.get(0).substring("USER ".length()).strip());
        assertThat(uid).as("numeric, so Kubernetes' runAsNonRoot can verify it").isPositive();
    }

    @Test
    void sizesTheHeapFromTheContainerMemory() throws Exception {
        String entrypoint = instructions().stream().filter(line -> line.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=").doesNotContain("-Xmx");
    }

    @Test
    void installsTheOpenMpRuntimeXgboostNeeds() throws Exception {
        assertThat(Files.readString(RepositoryFiles.deploy("Dockerfile"))).containsPattern("apt-get install[^\\n]*libgomp1");
    }

    @Test
    void copiesEveryModuleOfTheParentPomSoTheReactorResolves() throws Exception {
        Matcher modules = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(RepositoryFiles.root().resolve("pom.xml")));
        int count = 0;
        while (modules.find()) {
            String module = modules.group(1);
            assertThat(instructions()).as(module).containsAnyOf("COPY " + module + " " + module,
                    "COPY " + module + "/pom.xml " + module + "/pom.xml");
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(6);
    }
}
