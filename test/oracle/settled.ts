/**
 * Which saved oracle fixtures (test/fixtures/oracle) the command-line reader
 * now agrees with, and on what: the refused commands it lists as not judged,
 * the state the script leaves, or both. The unit spec replays these
 * (test/unit/readers/commandLine/oracleRegressions.spec.ts); the pending
 * replay (regressions.pending.ts) keeps only the rest. Add a name here when a
 * fix settles it; never remove one.
 */
export const SETTLED_BOTH: readonly string[] = [
    "e20-container-predicted-absent-listed-as-not-judged-measured-pre",
    "e20-container-predicted-absent-measured-present",
    "e20-container-predicted-present-measured-absent",
    "e20-container-x-bridge-ipv6",
    "e20-container-x-links",
    "e20-container-x-mode",
    "e20-container-x-networks",
    "e20-container-x-ports",
    "e20-container-x-x-aliases",
    "e20-container-x-x-ipv4",
    "e20-container-x-x-ipv6",
    "e20-network-predicted-absent-listed-as-not-judged-measured-prese",
    "e20-network-predicted-absent-measured-present",
    "e20-network-predicted-present-measured-absent",
    "e20-network-x-blocks",
    "e20-network-x-intercontainer",
    "e20-network-x-internal",
    "e20-network-x-options",
    "e20-refused-create-docker-conflicting-options-cannot-attach-both",
    "e20-refused-create-docker-conflicting-options-cannot-specify-bot",
    "e20-refused-create-docker-network-scoped-aliases-are-only-suppor",
    "e20-refused-create-docker-network-x-is-specified-multiple-times",
    "e20-refused-network-connect-error-response-from-daemon-no-such-c",
    "e20-refused-network-create-error-response-from-daemon-bridge-dri",
    "e20-refused-network-create-error-response-from-daemon-could-not-",
    "e20-refused-network-create-error-response-from-daemon-failed-to-",
    "e20-refused-network-create-error-response-from-daemon-network-wi",
    "e20-refused-network-create-error-response-from-daemon-pool-overl",
    "e20-refused-network-create-multiple-overlapping-subnet-configura",
    "e20-refused-network-create-no-matching-subnet-for-aux-address-ip",
    "e20-refused-network-create-no-matching-subnet-for-gateway-ip",
    "e20-refused-network-create-no-matching-subnet-for-gateway-ip6",
    "e20-refused-network-disconnect-error-response-from-daemon-no-suc",
    "e20-refused-run-docker-conflicting-options-cannot-attach-both-us",
    "e20-refused-run-docker-error-response-from-daemon-conflict-the-c",
    "e20-refused-run-docker-error-response-from-daemon-conflicting-op",
    "e20-refused-run-docker-error-response-from-daemon-container-cann",
    "e20-refused-run-docker-error-response-from-daemon-could-not-get-",
    "e20-refused-run-docker-error-response-from-daemon-user-specified",
    "e20-refused-run-docker-network-scoped-aliases-are-only-supported",
    "e20-refused-start-error-response-from-daemon-could-not-attach-to",
    "e20-refused-start-error-response-from-daemon-no-such-container-x",
    "e20-refused-start-error-response-from-daemon-user-specified-ip-a",
    "e29-container-predicted-absent-listed-as-not-judged-measured-pre",
    "e29-container-predicted-present-measured-absent",
    "e29-container-x-links",
    "e29-container-x-mode",
    "e29-container-x-networks",
    "e29-container-x-ports",
    "e29-container-x-x-ipv6",
    "e29-network-predicted-absent-listed-as-not-judged-measured-prese",
    "e29-network-predicted-absent-measured-present",
    "e29-network-predicted-present-measured-absent",
    "e29-network-x-blocks",
    "e29-network-x-intercontainer",
    "e29-network-x-internal",
    "e29-network-x-options",
    "e29-refused-create-docker-conflicting-options-cannot-attach-both",
    "e29-refused-create-docker-conflicting-options-cannot-specify-bot",
    "e29-refused-create-docker-network-scoped-aliases-are-only-suppor",
    "e29-refused-create-error-response-from-daemon-invalid-config-for",
    "e29-refused-network-connect-error-response-from-daemon-no-such-c",
    "e29-refused-network-create-error-response-from-daemon-bridge-dri",
    "e29-refused-network-create-error-response-from-daemon-invalid-po",
    "e29-refused-network-create-error-response-from-daemon-network-wi",
    "e29-refused-network-create-multiple-overlapping-subnet-configura",
    "e29-refused-network-create-no-matching-subnet-for-aux-address-ip",
    "e29-refused-network-create-no-matching-subnet-for-gateway-ip",
    "e29-refused-network-create-no-matching-subnet-for-gateway-ip6",
    "e29-refused-network-disconnect-error-response-from-daemon-no-suc",
    "e29-refused-run-docker-conflicting-options-cannot-attach-both-us",
    "e29-refused-run-docker-conflicting-options-cannot-specify-both-i",
    "e29-refused-run-docker-conflicting-options-cannot-specify-both-n",
    "e29-refused-run-docker-error-response-from-daemon-failed-to-set-",
    "e29-refused-run-docker-error-response-from-daemon-invalid-config",
    "e29-refused-run-docker-network-scoped-aliases-are-only-supported",
    "e29-refused-start-error-response-from-daemon-failed-to-set-up-co",
    "e29-refused-start-error-response-from-daemon-no-such-container-x",
];

/** The reader lists every command the engine refused; the state still differs. */
export const SETTLED_REFUSALS: readonly string[] = [
    "e29-refused-create-error-response-from-daemon-conflicting-option",
];

/** The reader predicts the state the engine measured; some refusal is still judged as if it ran. */
export const SETTLED_STATES: readonly string[] = [
];

/**
 * Program fixtures (test/fixtures/oracle/program, `--kind program`) our
 * preview now agrees with: on both the refusals and the state left, or on the
 * state only. Replayed by test/unit/readers/pulumi/programOracleRegressions.spec.ts.
 */
export const SETTLED_PROGRAMS_BOTH: readonly string[] = [
    "p20-accepted-x-refused-docker-network-no-overlap-network-n0-subn",
    "p20-container-x-ports",
    "p20-container-x-x-aliases",
    "p20-container-x-x-ipv4",
    "p20-container-x-x-ipv6",
    "p20-refused-x-conflicting-options-port-publishing-and-the-contai",
    "p20-refused-x-could-not-find-an-available-non-overlapping-ipv6-a",
    "p20-refused-x-pool-overlaps-with-other-one-on-this-address-space",
    "p20-refused-x-user-specified-ip-address-is-supported-only-when-c",
    "p29-container-x-x-aliases",
    "p29-container-x-x-ipv4",
    "p29-network-x-blocks",
    "p29-refused-x-conflicting-options-port-publishing-and-the-contai",
    "p29-refused-x-container-cannot-be-connected-to-multiple-networks",
    "p29-refused-x-invalid-endpoint-settings-no-configured-subnet-con",
    "p29-refused-x-invalid-pool-request-pool-overlaps-with-other-one-",
];

export const SETTLED_PROGRAMS_STATES: readonly string[] = [
    "p29-container-x-x-ipv6",
];
