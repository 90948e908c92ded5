/**
 * The command-line reader's entry point: what the Pulumi reader and the
 * preview document need of it. `docker` command lines in the scripts of a
 * command resource become topology nodes ({@link topologyFromCommandLines});
 * `docker network connect` and its kin are applied once the whole stack is
 * known ({@link applyNetworkConnections}).
 */
export { CommandLineTopology, CommandScript, NotJudgedLine, StackContext, topologyFromCommandLines } from "./dockerCommandLine";
export { DockerNames, EngineContext } from "./engineModel";
export { NetworkConnection } from "./dockerCommandNodes";
export { applyNetworkConnections } from "./networkConnections";
export { ComposeFile, ComposeProjectNodes, ComposeProjectReader, ComposeRequest, ScriptPlace } from "./composeCommand";
export { ComposeScriptOptions } from "./composeProjects";
