/** Which Docker a preview judges with: `--docker-version`, else the stack's `netguard:dockerVersion`, else 29. */
import { excerpt } from "../../../text/excerpt";
import { DEFAULT_SEMANTICS, EngineInfo, assumedEngine, parseSemantics } from "../../../topology/engineSemantics";
import { UserError } from "../../errors";

/** The stack config key that names the Docker a stack runs on (`20` or `29`). */
const DOCKER_VERSION_CONFIG = "netguard:dockerVersion";

/** The Docker whose semantics judge: `--docker-version`, else the stack's `netguard:dockerVersion`, else 29. */
export function judgedEngine(option: string | undefined, config: Readonly<Record<string, string>>): EngineInfo {
    const [source, text] = option !== undefined ? ["--docker-version", option] : [DOCKER_VERSION_CONFIG, config[DOCKER_VERSION_CONFIG]];
    if (text === undefined) return assumedEngine(DEFAULT_SEMANTICS);
    const semantics = parseSemantics(text);
    if (semantics === undefined) throw new UserError(`${source} ${excerpt(text)}: netguard knows Docker 20 (20.10) and 29 (28 and 29); use 20 or 29`);
    return assumedEngine(semantics);
}

