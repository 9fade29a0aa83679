package io.ecap.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ecap.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A dead letter carries the refused record and why, with every card number in its text masked. */
class DeadLetterTest {
    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(final ProducerRecord<byte[], byte[]> letter, final String key) {
        return new String(letter.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldMaskCardNumbersInTheKeyTheValueTheHeadersAndTheReason() {
        final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.TRANSACTIONS, 2, 41L,
            utf8("4111-1111-1111-1111"), utf8("{\"txnId\":\"t-1\",\"cardId\":\"4111111111111111\"}"));
        record.headers().add("origin", utf8("card 5555 5555 5555 4444"));
        final ProducerRecord<byte[], byte[]> letter = DeadLetter.of(record, Topics.deadLetter(Topics.TRANSACTIONS),
            "cardId", "cardId: looks like 4111111111111111");
        assertEquals("****-****-****-1111", new String(letter.key(), StandardCharsets.UTF_8));
        assertEquals("{\"txnId\":\"t-1\",\"cardId\":\"************1111\"}",
            new String(letter.value(), StandardCharsets.UTF_8));
        assertEquals("card **** **** **** 4444", header(letter, "origin"));
        assertEquals("cardId: looks like ************1111", header(letter, Topics.DLT_REASON_HEADER));
        assertEquals("cardId", header(letter, Topics.DLT_FIELD_HEADER));
        assertEquals(Topics.TRANSACTIONS, header(letter, Topics.DLT_TOPIC_HEADER));
        assertEquals("2", header(letter, Topics.DLT_PARTITION_HEADER));
        assertEquals("41", header(letter, Topics.DLT_OFFSET_HEADER));
        assertEquals(Topics.deadLetter(Topics.TRANSACTIONS), letter.topic());
    }

    @Test
    void shouldSendARecordWithoutOneAsItCame() {
        final byte[] value = utf8("{not json");
        final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.LABELS, 0, 7L, null, value);
        final ProducerRecord<byte[], byte[]> letter = DeadLetter.of(record, Topics.deadLetter(Topics.LABELS), "$",
            "malformed JSON");
        assertNull(letter.key());
        assertArrayEquals(value, letter.value());
    }
}
