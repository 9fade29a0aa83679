package io.ecap.gateway.kafka;

import io.ecap.model.field.PanMask;
import io.ecap.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A refused input record as it goes to its dead-letter topic: the record as it came, with headers saying why (reason,
 * field) and where it came from (topic, partition, offset). A dead letter keeps the input's text, so anything in it
 * that looks like a card number (its key, its value, its own headers, the reason) is masked first ({@link PanMask});
 * such a record was refused for it anyway.
 */
final class DeadLetter {
    private DeadLetter() {
    }

    static ProducerRecord<byte[], byte[]> of(final ConsumerRecord<byte[], byte[]> record, final String topic,
        final String field, final String reason) {
        final RecordHeaders headers = new RecordHeaders();
        for (final Header header : record.headers()) {
            headers.add(header.key(), PanMask.mask(header.value()));
        }
        headers.add(Topics.DLT_REASON_HEADER, utf8(PanMask.mask(reason)));
        headers.add(Topics.DLT_FIELD_HEADER, utf8(field));
        headers.add(Topics.DLT_TOPIC_HEADER, utf8(record.topic()));
        headers.add(Topics.DLT_PARTITION_HEADER, utf8(Integer.toString(record.partition())));
        headers.add(Topics.DLT_OFFSET_HEADER, utf8(Long.toString(record.offset())));
        return new ProducerRecord<>(topic, null, PanMask.mask(record.key()), PanMask.mask(record.value()), headers);
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
