package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static io.streamlearn.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.streamlearn.core.config.KnownKeys;
import io.streamlearn.core.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s-gpu: the base manifests with the retrainer on a GPU. Read as files (kustomize is not needed to test):
 * the patch names the base's retrainer and its container, asks for one nvidia.com/gpu, uses the -Pgpu image and sets
 * keys the retrainer reads to values that demand CUDA.
 */
class GpuOverlayTest {

    private static final Path OVERLAY = RepositoryFiles.deploy("k8s-gpu");
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void patchesTheBaseRetrainerOntoOneGpuAndRequiresIt() throws Exception {
        Map<String, Object> kustomization = RepositoryFiles.yaml(OVERLAY.resolve("kustomization.yaml"));
        assertThat(list(kustomization.get("resources"))).containsExactly("../k8s");
        assertThat(list(kustomization.get("patches"))).hasSize(1);
        String patchFile = String.valueOf(map(list(kustomization.get("patches")).get(0)).get("path"));
        Deployment patch = JSON.convertValue(RepositoryFiles.yaml(OVERLAY.resolve(patchFile)), Deployment.class);
        Deployment base = JSON.convertValue(RepositoryFiles.yaml(RepositoryFiles.deploy("k8s/retrain-deployment.yaml")),
                Deployment.class);

        assertThat(patch.getMetadata().getName()).isEqualTo(base.getMetadata().getName());
        Container container = patch.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(base.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                .contains(container.getName());
        assertThat(container.getImage()).isEqualTo("streamlearn:gpu");
        assertThat(container.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(container.getResources().getLimits().get("memory"))
                .isEqualTo(container.getResources().getRequests().get("memory"));
        assertThat(patch.getSpec().getTemplate().getSpec().getTolerations())
                .anySatisfy(toleration -> assertThat(toleration.getKey()).isEqualTo("nvidia.com/gpu"));

        Map<String, String> settings = container.getEnv().stream().filter(env -> env.getName().startsWith("STREAMLEARN_"))
                .collect(Collectors.toMap(env -> Settings.keyOf(env.getName()), EnvVar::getValue));
        assertThat(settings).containsEntry("retrain.device", "cuda").containsEntry("retrain.require-gpu", "true");
        assertThat(settings.keySet()).allSatisfy(key -> assertThat(KnownKeys.isKnown(key)).as(key).isTrue());
    }
}
