package io.ecap.hotpath.rules;

import io.ecap.model.Outcome;

/**
 * One rule: when its condition holds it adds its weight to the score, may force at least an outcome, and gives a
 * reason with the value behind it.
 *
 * @param action the least outcome this rule forces when it fires, or null
 * @param value the reason's value, or null (the reason then carries no value)
 */
public record Rule(String name, int weight, Outcome action, String detail, Program condition, Program value,
    int line) {
}
