/** A user's application of rankcoding, as a JPMS module. */
module org.rankcoding.consumer {
    requires org.rankcoding;
}
