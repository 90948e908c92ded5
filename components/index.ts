/**
 * docker-netguard components: isolated Docker networks as code.
 *
 * - {@link IsolatedServiceNet}: one user-defined network with explicit IPAM and its services
 *   (a bridge and containers, or, with `scope: "swarm"`, an overlay and swarm services).
 * - {@link DualHomedContainer}: a container deliberately attached to two or more nets.
 * - {@link DualHomedService}: a swarm service deliberately attached to two or more swarm-scope nets.
 *
 * Each component plans first (components/plan/: every check, the addressing
 * and the names, as plain data) and then declares its resources from the plan.
 */
export { IsolatedServiceNet } from "./isolatedServiceNet";
export { DualHomedContainer, DualHomedContainerArgs, NetAttachment } from "./dualHomedContainer";
export { DualHomedService, DualHomedServiceArgs, ServiceNetAttachment } from "./dualHomedService";
export { NetMembership } from "./attachments";
export {
    AttachmentSettings,
    ContainerArgsBesidesNetworking,
    ContainerProcess,
    IsolatedServiceNetArgs,
    NetSettings,
    NetSettingsBesidesScope,
    ServiceAddressing,
    ServiceArgsBesidesNetworking,
    ServiceContainerSpecBesidesProcess,
    ServiceReplication,
    ServiceSpec,
    ServiceTaskSpecBesidesNetworking,
} from "./args";
export { NetguardInputError } from "./inputError";
export { DEFAULT_ADDRESS_POOL, DEFAULT_PREFIX_LENGTH } from "./plan/subnetAllocation";
export { resetProgramState } from "./programState";
