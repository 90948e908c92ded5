/**
 * docker-netguard components: isolated Docker networks as code.
 *
 * - {@link IsolatedServiceNet}: one user-defined network with explicit IPAM and its services.
 * - {@link DualHomedContainer}: a container deliberately attached to two or more nets.
 */
export { IsolatedServiceNet, IsolatedServiceNetArgs, NetSettings } from "./isolatedServiceNet";
export { AttachmentSettings, DualHomedContainer, DualHomedContainerArgs, NetAttachment } from "./dualHomedContainer";
export { ContainerArgsBesidesNetworking, ContainerProcess, ServiceAddressing, ServiceSpec } from "./serviceSpec";
export { NetguardInputError } from "./inputError";
export { DEFAULT_ADDRESS_POOL, DEFAULT_PREFIX_LENGTH } from "./subnetAllocator";
