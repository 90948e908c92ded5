// A component program whose web tier can reach the payments vault directly:
// the frontend and the vault share the "edge" net. The policy config
// (deny-frontend-to-vault.json) forbids that flow; the declared API is the
// only other bridge and is allowed.
import { DualHomedContainer, IsolatedServiceNet } from "../../../components";

const edge = new IsolatedServiceNet("edge", {
    subnet: "10.60.1.0/24",
    services: {
        frontend: { image: "nginx:1.27-alpine", aliases: ["www"] },
        vault: { image: "vault:1.13", aliases: ["payments-vault"] },
    },
});
const core = new IsolatedServiceNet("core", {
    subnet: "10.60.2.0/24",
    internal: true,
    services: { db: { image: "postgres:16-alpine" } },
});

new DualHomedContainer("api", {
    image: "node:20-alpine",
    attachments: [{ net: edge }, { net: core }],
});
