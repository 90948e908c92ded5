/**
 * The base of a pull request, for the end-to-end diff test: a shop front and
 * its data tier on two isolated nets, with nothing between them.
 */
import { IsolatedServiceNet } from "../../../components";

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
