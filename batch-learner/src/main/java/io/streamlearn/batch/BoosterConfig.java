package io.streamlearn.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * XGBoost's own configuration of one trained booster, read through its C API ({@code XGBoosterSaveJsonConfig}), which
 * XGBoost4J 3.4 does not expose in Java. Its {@code learner.generic_param.device} is where that booster really
 * trained: XGBoost never fails on {@code device=cuda} without a usable GPU (or with its CPU-only library), it rewrites
 * the device to {@code cpu} and trains there, so the parameter a fit was given proves nothing.
 *
 * <p>The C API lives in the native library XGBoost4J extracted and loaded; this class finds it in the process's own
 * memory map ({@code /proc/self/maps}, Linux: the only platform of the CUDA build) and calls it through JNA with the
 * booster's handle. Reading costs well under a millisecond, so every fit reads its own.
 */
public final class BoosterConfig {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile NativeLibrary library;

    private BoosterConfig() {
    }

    /** The device the booster trained on, as XGBoost states it ({@code cpu}, {@code cuda:0}, ...). */
    public static String device(Booster booster) {
        JsonNode device = json(booster).path("learner").path("generic_param").path("device");
        if (!device.isTextual()) {
            throw new IllegalStateException("XGBoost's configuration has no learner.generic_param.device");
        }
        return device.asText();
    }

    /** {@code cuda} for any CUDA device XGBoost names ({@code cuda}, {@code cuda:0}, {@code gpu}), else {@code cpu}. */
    public static String kind(String device) {
        return device.startsWith("cuda") || device.startsWith("gpu") ? "cuda" : "cpu";
    }

    /** The booster's whole configuration, as {@code XGBoosterSaveJsonConfig} writes it. */
    static JsonNode json(Booster booster) {
        LongByReference length = new LongByReference();
        PointerByReference text = new PointerByReference();
        int status = function("XGBoosterSaveJsonConfig").invokeInt(new Object[] {new Pointer(handle(booster)), length,
                text});
        if (status != 0) {
            throw new IllegalStateException("XGBoosterSaveJsonConfig failed: "
                    + function("XGBGetLastError").invokeString(new Object[0], false));
        }
        byte[] bytes = text.getValue().getByteArray(0, Math.toIntExact(length.getValue()));
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("XGBoost's configuration is not JSON", e);
        }
    }

    private static long handle(Booster booster) {
        try {
            Field handle = Booster.class.getDeclaredField("handle");
            handle.setAccessible(true);
            return handle.getLong(booster);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("XGBoost4J's Booster has no handle field (not version 3.x?)", e);
        }
    }

    private static Function function(String name) {
        NativeLibrary loaded = library;
        if (loaded == null) {
            synchronized (BoosterConfig.class) {
                if (library == null) {
                    library = NativeLibrary.getInstance(loadedLibraryPath().toString());
                }
                loaded = library;
            }
        }
        return loaded.getFunction(name);
    }

    /** The file XGBoost4J extracted its native library to and loaded (a temporary name of its own choosing). */
    static Path loadedLibraryPath() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(line -> line.contains("libxgboost4j") && line.contains("/"))
                    .map(line -> Path.of(line.substring(line.indexOf('/')).strip()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "XGBoost's native library is not loaded in this process (train a booster first)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/maps (not Linux?)", e);
        }
    }
}
