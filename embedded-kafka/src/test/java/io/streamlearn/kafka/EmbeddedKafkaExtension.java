package io.streamlearn.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded KRaft broker per test class (STYLE.md: real broker tests share one cluster per class; each test uses
 * its own topics). Started before the class's own {@code @BeforeAll} methods and closed after its {@code @AfterAll}
 * methods, so a class may set up and tear down its fixtures on the broker there. The broker is written into every
 * static field of type {@link EmbeddedKafkaBroker} of the class (and its superclasses) and resolved as a parameter of
 * that type, in lifecycle methods and tests alike:
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class TrainerIntegrationTest {
 *     private static EmbeddedKafkaBroker broker;
 *     ...
 * }
 * }</pre>
 *
 * <p>A test-jar fixture rather than main code: nothing outside the tests depends on JUnit, and the CLI, which ships the
 * broker for its demo, ships no test framework.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        context.getStore(NAMESPACE).put(EmbeddedKafkaBroker.class, broker);
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == EmbeddedKafkaBroker.class && Modifier.isStatic(field.getModifiers())
                        && !Modifier.isFinal(field.getModifiers())) {
                    field.setAccessible(true);
                    field.set(null, broker);
                }
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedKafkaBroker broker = context.getStore(NAMESPACE).remove(EmbeddedKafkaBroker.class,
                EmbeddedKafkaBroker.class);
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedKafkaBroker broker = context.getStore(NAMESPACE).get(EmbeddedKafkaBroker.class,
                EmbeddedKafkaBroker.class);
        if (broker == null) {
            throw new IllegalStateException("no embedded broker: register " + EmbeddedKafkaExtension.class.getName()
                    + " on the test class");
        }
        return broker;
    }
}
