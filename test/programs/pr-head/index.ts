/**
 * The head of the same pull request: the base plus one DualHomedContainer,
 * `api`, the deliberate bridge between the front and the data tier.
 */
import { DualHomedContainer, IsolatedServiceNet } from "../../../components";

export const front = new IsolatedServiceNet("front", {
    subnet: "10.61.1.0/24",
    services: {
        web: { image: "nginx:1.27-alpine", aliases: ["www"] },
    },
});

export const data = new IsolatedServiceNet("data", {
    subnet: "10.61.2.0/24",
    internal: true,
    services: {
        db: { image: "postgres:16-alpine", ipv4Address: "10.61.2.10" },
        cache: { image: "redis:7-alpine" },
    },
});

export const api = new DualHomedContainer("api", {
    image: "node:20-alpine",
    attachments: [
        { net: front, aliases: ["api"] },
        { net: data, ipv4Address: "10.61.2.20" },
    ],
});
