package org.loggregator.protocol;

/**
 * The payloads {@link EnvelopeReader} checks, one per known {@code eventType} from HttpStartStop
 * (4) to ContainerMetric (9): the wire type of each known field and which fields are required.
 */
final class PayloadSchema {

  static final int FIRST_EVENT_TYPE = RoutingFields.HTTP_START_STOP;
  static final int LAST_EVENT_TYPE = RoutingFields.CONTAINER_METRIC;

  /** The envelope field number of each payload is its eventType number plus this. */
  static final int PAYLOAD_FIELD_DELTA = 3;

  /** The fields of a UUID, both required: low 1 and high 2. */
  static final int UUID_REQUIRED = bits(1, 2);

  /** The optional {@code applicationId} of an HttpStartStop. */
  static final int APPLICATION_ID_BIT = bits(12);

  /**
   * Per payload (index eventType - 4), per field number (index into the string): the wire type of
   * each known field ('V' varint, 'F' fixed64, 'L' length-delimited, '-' unknown).
   */
  private static final String[] WIRE_TYPES = {
    "-VVLVVLLLVV-LVLL", // HttpStartStop; 11 is reserved
    "-LVVLLL", // LogMessage
    "-LFL", // ValueMetric
    "-LVV", // CounterEvent
    "-LVL", // Error
    "-LVFVVVV", // ContainerMetric
  };

  /** Per payload, the bit mask (1 << field number) of its required fields. */
  private static final int[] REQUIRED = {
    bits(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    bits(1, 2, 3),
    bits(1, 2, 3),
    bits(1, 2),
    bits(1, 2, 3),
    bits(1, 2, 3, 4, 5),
  };

  private PayloadSchema() {}

  /**
   * The wire types of the payload of a known {@code eventType}, one character per field number ('V'
   * varint, 'F' fixed64, 'L' length-delimited, '-' unknown); field numbers past its end are
   * unknown.
   */
  static String wireTypes(int eventType) {
    return WIRE_TYPES[eventType - FIRST_EVENT_TYPE];
  }

  /** The bit mask (1 << field number) of the required fields of a known {@code eventType}. */
  static int required(int eventType) {
    return REQUIRED[eventType - FIRST_EVENT_TYPE];
  }

  /** Class initialisation only: varargs allocate. */
  private static int bits(int... fields) {
    int mask = 0;
    for (int field : fields) {
      mask |= 1 << field;
    }
    return mask;
  }
}
