/** `links:` as Compose makes them (measured on 20.10 and 29 by the Compose oracle). */
import * as assert from "assert";
import { ComposeProject, topologyFromCompose } from "../../../../readers/compose";

describe("compose: links", () => {
    it("links the n-th container to each target container under the alias, <target>-<n> and <project>-<target>-<n>", () => {
        const project = {
            name: "p",
            services: { web: { image: "nginx", links: ["db:database"], deploy: { replicas: 2 } }, db: { image: "postgres" } },
        } as unknown as ComposeProject;
        const links = (name: string) => topologyFromCompose(project).topology.containers.find((c) => c.name === name)!.links.map((link) => `${link.target}:${link.alias}${link.composeAdded ? " (added)" : ""}`);
        assert.deepStrictEqual(links("p-web-1"), ["p-db-1:database", "p-db-1:db-1 (added)", "p-db-1:p-db-1 (added)"]);
        assert.deepStrictEqual(links("p-web-2"), ["p-db-1:database", "p-db-1:db-2 (added)", "p-db-1:p-db-2 (added)"]);
    });
});
