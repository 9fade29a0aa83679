package io.ecap.testing.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The fuzzing profile: multiplies the tries of every property it is added to
 * ({@code @AddLifecycleHook(FuzzProfile.class)}) by the system property {@value #SCALE_PROPERTY} (default 1, the CI
 * profile). The long profile is {@code -Decap.fuzz.scale=100}: the same properties, a hundred times the inputs.
 */
public final class FuzzProfile implements AroundPropertyHook {
    public static final String SCALE_PROPERTY = "ecap.fuzz.scale";
    private static final int JQWIK_DEFAULT_TRIES = 1000;

    /** The multiplier in force, at least 1. */
    public static int scale() {
        return Math.max(1, Integer.getInteger(SCALE_PROPERTY, 1));
    }

    /** Added to a class, it applies to every property of the class. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(final PropertyLifecycleContext context,
        final PropertyExecutor property) {
        final int tries = context.attributes().tries().orElse(JQWIK_DEFAULT_TRIES);
        context.attributes().setTries(Math.multiplyExact(tries, scale()));
        return property.execute();
    }
}
