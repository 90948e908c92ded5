/**
 * A rule's documentation, kept in the rule's module beside its code. It is
 * the one source of the rule's CrossGuard `description` (its summary), its
 * page `docs/policies/<policy>.md`, the README's policy table and the pack
 * manifest's description: `npm run docs` (scripts/policyDocs.ts) writes
 * them, and a test fails when what is committed differs. The examples are
 * run by that test: the bad one must make the rule report, the good one must
 * pass the whole pack.
 */

/** A rule's documentation. Markdown is allowed in `reports` and `rationale`. */
export interface RuleDoc {
    /** One sentence: what the policy requires. It is the CrossGuard `description` and the README's summary. */
    readonly summary: string;
    /** A few words naming what the policy flags, for the pack manifest's description (e.g. "Docker's default bridge"). */
    readonly topic: string;
    /** Exactly what the policy reports (every way it is written), and what it leaves to other policies. */
    readonly reports: string;
    /** Why the policy exists: what Docker does that makes the reported configuration a problem. */
    readonly rationale: string;
    readonly references: readonly Reference[];
    /**
     * The default of each setting of the rule's `configSchema`, as it would be
     * written in the pack's config (type and description come from the schema).
     */
    readonly settings?: Readonly<Record<string, { readonly default: unknown }>>;
    readonly examples: Examples;
    /** What the policy means for a Compose project (`netguard preview compose.yaml`, `docker compose` lines in a Command). */
    readonly compose: ComposeDoc;
}

/** A rule in Compose's words. */
export interface ComposeDoc {
    /** What it reports in a Compose file, by Compose's keys. */
    readonly reports: string;
    /** A Compose file it reports; left out only when Compose cannot say what the policy reports (`reports` says why). */
    readonly example?: string;
}

export interface Reference {
    /** What is cited, e.g. a benchmark item with its number and title, or a page's title. */
    readonly title: string;
    readonly url?: string;
}

/** A configuration the rule reports, and one it passes. */
export interface Examples {
    readonly bad: Example;
    readonly good: Example;
    /** The policy's settings both examples are judged with (its entry of the pack's config). */
    readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * Docker command lines, read as netguard reads the `create` script of a
 * `@pulumi/command` resource; or a Pulumi TypeScript program that imports
 * from "docker-netguard" (and "@pulumi/docker"), where a command line cannot
 * say it (a component).
 */
export type Example = { readonly docker: string } | { readonly program: string };

/** The CIS Docker Benchmark edition Docker Bench for Security checks, whose numbers are cited. */
const CIS_EDITION = "v1.6.0";
/** The edition before it, which numbered some items differently. */
const CIS_PREVIOUS_EDITION = "v1.5.0";
const CIS_URL = "https://www.cisecurity.org/benchmark/docker";

/**
 * An item of the CIS Docker Benchmark, by its number in the edition Docker
 * Bench for Security checks (and in the edition before it, where it differs).
 */
export function cisDocker(item: string, title: string, previousItem?: string): Reference {
    const previous = previousItem === undefined ? "" : ` (${previousItem} in ${CIS_PREVIOUS_EDITION})`;
    return { title: `CIS Docker Benchmark ${CIS_EDITION}, ${item}${previous}: "${title}" (Docker Bench for Security check ${item})`, url: CIS_URL };
}

/** Docker's documentation pages the rules cite. */
export const DOCKER_DOCS = {
    bridge: { title: "Docker docs: Bridge network driver (user-defined bridges and the default bridge)", url: "https://docs.docker.com/engine/network/drivers/bridge/" },
    overlay: { title: "Docker docs: Overlay network driver (encrypting traffic on an overlay network)", url: "https://docs.docker.com/engine/network/drivers/overlay/" },
    links: { title: "Docker docs: Legacy container links", url: "https://docs.docker.com/network/links/" },
    networking: { title: "Docker docs: Networking overview", url: "https://docs.docker.com/engine/network/" },
    networkCreate: { title: "Docker CLI reference: docker network create (--subnet, --gateway, --ip-range, --aux-address, --opt)" },
} as const satisfies Record<string, Reference>;
