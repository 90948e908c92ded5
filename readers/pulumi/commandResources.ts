/**
 * What the shell scripts of `@pulumi/command` resources declare: the Pulumi
 * reader's one door into the command-line reader (`readers/commandLine`).
 */
import * as path from "path";
import { CommandLineTopology, CommandScript, ScriptPlace, StackContext, topologyFromCommandLines } from "../commandLine";
import { readComposeRequest } from "./composeCommands";
import { EngineSemantics } from "../../topology/engineSemantics";
import { Maybe, UNKNOWN, isKnown } from "../../topology/model";
import { COMMAND_TYPES, LOCAL_COMMAND_TYPE, ResourceView, readField, readString, readStringMap } from "./resourceFields";

/**
 * Where a command resource's scripts run: a local Command in the program's
 * folder (Pulumi runs the program there), or in its `dir`; a remote one on
 * its host, in a folder not known here.
 */
function scriptPlace(resource: ResourceView): ScriptPlace {
    if (resource.type !== LOCAL_COMMAND_TYPE) return { host: "remote", directory: UNKNOWN, engineHost: connectionHost(resource) };
    const programDirectory = process.cwd();
    const dir = readString(resource.props, "dir");
    const directory = dir === undefined ? programDirectory : isKnown(dir) ? path.resolve(programDirectory, dir) : UNKNOWN;
    return { host: "local", directory, programDirectory };
}

/** A remote Command's `connection`: `host`, or `host:port` when a port other than ssh's 22 is set; unknown while computed. */
function connectionHost(resource: ResourceView): Maybe<string> {
    const connection = readField(resource.props, "connection");
    const host = connection === UNKNOWN ? UNKNOWN : readString(connection, "host");
    if (host === undefined || !isKnown(host)) return UNKNOWN;
    const port = readField(connection, "port");
    return port === undefined || port === UNKNOWN || Number(port) === 22 ? host : `${host}:${port}`;
}

/**
 * The `docker` command lines in the `create`/`update`/`delete` scripts of a
 * `@pulumi/command` resource, or undefined for other types.
 */
export function commandLinesFromResource(resource: ResourceView, semantics?: EngineSemantics, context?: StackContext): CommandLineTopology | undefined {
    if (!COMMAND_TYPES.includes(resource.type)) return undefined;
    const { props } = resource;
    const scripts: CommandScript[] = ["create", "update", "delete"]
        .map((field) => ({ field, text: readString(props, field) }))
        .filter((script): script is CommandScript => script.text !== undefined);
    const environment = readField(props, "environment");
    const env = environment === UNKNOWN ? UNKNOWN : new Map(Object.entries(readStringMap(props, "environment")).filter(
        (entry): entry is [string, string] => isKnown(entry[1]),
    ));
    return topologyFromCommandLines({ urn: resource.urn, name: resource.name }, scripts, env, semantics, context, { place: scriptPlace(resource), read: readComposeRequest });
}
