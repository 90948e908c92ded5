/**
 * What the shell scripts of `@pulumi/command` resources declare: the Pulumi
 * reader's one door into the command-line reader (`readers/commandLine`).
 */
import { CommandLineTopology, CommandScript, EngineContext, topologyFromCommandLines } from "../commandLine";
import { EngineSemantics } from "../../topology/engineSemantics";
import { UNKNOWN, isKnown } from "../../topology/model";
import { COMMAND_TYPES, ResourceView, readField, readString, readStringMap } from "./resourceFields";

/**
 * The `docker` command lines in the `create`/`update`/`delete` scripts of a
 * `@pulumi/command` resource, or undefined for other types.
 */
export function commandLinesFromResource(resource: ResourceView, semantics?: EngineSemantics, context?: EngineContext): CommandLineTopology | undefined {
    if (!COMMAND_TYPES.includes(resource.type)) return undefined;
    const { props } = resource;
    const scripts: CommandScript[] = ["create", "update", "delete"]
        .map((field) => ({ field, text: readString(props, field) }))
        .filter((script): script is CommandScript => script.text !== undefined);
    const environment = readField(props, "environment");
    const env = environment === UNKNOWN ? UNKNOWN : new Map(Object.entries(readStringMap(props, "environment")).filter(
        (entry): entry is [string, string] => isKnown(entry[1]),
    ));
    return topologyFromCommandLines({ urn: resource.urn, name: resource.name }, scripts, env, semantics, context);
}
