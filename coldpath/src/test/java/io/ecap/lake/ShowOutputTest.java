package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CSV values are quoted as RFC 4180 says: only when they need it, quotes doubled. */
class ShowOutputTest {
    @Test
    void shouldQuoteOnlyWhatNeedsIt() {
        assertEquals("plain", ShowOutput.quoted("plain"));
        assertEquals("\"a,b\"", ShowOutput.quoted("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", ShowOutput.quoted("say \"hi\""));
        assertEquals("\"two\nlines\"", ShowOutput.quoted("two\nlines"));
        assertEquals("\"{\"\"k\"\":1}\"", ShowOutput.quoted("{\"k\":1}"), "nested values are JSON, quoted");
    }
}
