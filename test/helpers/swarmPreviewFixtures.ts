/** A swarm stack as `preview --json` shows it, for the renderer, browser and diff tests. */
import { PreviewDocument } from "../../document/previewDocument";
import { container, documentOf, network } from "./previewFixtures";

/**
 * The example shop on a swarm: `order` (encrypted overlay, internal) with
 * `db` ×1 and `queue` ×3; `web` (attachable overlay, NOT encrypted) with
 * `frontend` ×2 and a plain `probe` container; `api`, a dual-homed service
 * ×2 between them; `metrics`, a global service (replicas unknown) on no
 * network; and a local bridge `tools`.
 */
export function swarmShop(): PreviewDocument {
    const overlay = { scope: "swarm" as const, driver: "overlay" };
    return documentOf(
        [
            network("order", { ...overlay, subnet: "10.21.1.0/24", gateway: "10.21.1.1", internal: true, encrypted: true }),
            network("web", { ...overlay, subnet: "10.21.2.0/24", gateway: "10.21.2.1", attachable: true, encrypted: false }),
            network("tools", { subnet: "10.21.9.0/24", gateway: "10.21.9.1" }),
        ],
        [
            container("db", ["order"], { kind: "service", replicas: 1 }),
            container("queue", ["order"], { kind: "service", replicas: 3 }),
            container("frontend", ["web"], { kind: "service", replicas: 2, ports: [{ internal: 80, external: 8080, ip: null, protocol: "tcp" }] }),
            container("probe", ["web"]),
            container("api", ["web", "order"], { kind: "service", replicas: 2, dualHomed: true }),
            container("metrics", [], { kind: "service", replicas: null }),
            container("toolbox", ["tools"]),
        ],
    );
}
