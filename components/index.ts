/**
 * docker-netguard components: isolated Docker networks as code.
 *
 * - {@link IsolatedServiceNet}: one user-defined network with explicit IPAM and its services
 *   (a bridge and containers, or, with `scope: "swarm"`, an overlay and swarm services).
 * - {@link DualHomedContainer}: a container deliberately attached to two or more nets.
 * - {@link DualHomedService}: a swarm service deliberately attached to two or more swarm-scope nets.
 */
export { IsolatedServiceNet, IsolatedServiceNetArgs, NetSettings, NetSettingsBesidesScope } from "./isolatedServiceNet";
export { AttachmentSettings, DualHomedContainer, DualHomedContainerArgs, NetAttachment } from "./dualHomedContainer";
export { DualHomedService, DualHomedServiceArgs, ServiceNetAttachment } from "./dualHomedService";
export { NetMembership } from "./attachments";
export { ContainerArgsBesidesNetworking, ContainerProcess, ServiceAddressing, ServiceSpec } from "./serviceSpec";
export {
    ServiceArgsBesidesNetworking,
    ServiceContainerSpecBesidesProcess,
    ServiceReplication,
    ServiceTaskSpecBesidesNetworking,
} from "./swarmService";
export { NetguardInputError } from "./inputError";
export { DEFAULT_ADDRESS_POOL, DEFAULT_PREFIX_LENGTH } from "./subnetAllocator";
export { resetProgramState } from "./programState";
