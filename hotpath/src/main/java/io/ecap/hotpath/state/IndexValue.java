package io.ecap.hotpath.state;

/** Value of the transaction index: the journal index of the entry that scored a transaction. */
public interface IndexValue {
    long getIndex();

    void setIndex(long index);
}
