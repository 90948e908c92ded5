/**
 * Swarm services for the conformance tests (test code): create one with the
 * probe image and the test labels, and wait until its tasks run.
 */
import Docker from "dockerode";

export interface TestService {
    readonly name: string;
    /** Networks by name, each with its aliases. */
    readonly networks?: readonly { readonly name: string; readonly aliases?: readonly string[] }[];
    readonly replicas?: number;
    /** Labels of the service and of its tasks' containers, on top of the test labels. */
    readonly labels?: Record<string, string>;
    /** Its tasks' containers' labels instead (`--container-label`): `{}` leaves them unlabelled, as `docker service create --label` alone does. */
    readonly containerLabels?: Record<string, string>;
}

/** Creates the service (probe image, its idle command); labels go on the service and (unless `containerLabels`) on its tasks' containers. */
export async function createTestService(docker: Docker, service: TestService, image: string, labels: Record<string, string>): Promise<string> {
    const all = { ...labels, ...service.labels };
    const created = (await docker.createService({
        Name: service.name,
        Labels: all,
        TaskTemplate: {
            ContainerSpec: { Image: image, Labels: service.containerLabels ?? all },
            Networks: (service.networks ?? []).map((network) => ({ Target: network.name, Aliases: [...(network.aliases ?? [])] })),
            // A task that fails is not restarted behind the test's back.
            RestartPolicy: { Condition: "none" },
        },
        Mode: { Replicated: { Replicas: service.replicas ?? 1 } },
    })) as { id?: string; ID?: string };
    return (created.id ?? created.ID) as string;
}

export { waitForServices } from "../../../oracle/deployProgram";
