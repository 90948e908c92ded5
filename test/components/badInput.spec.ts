import * as assert from "assert";
import { DualHomedContainer, IsolatedServiceNet, IsolatedServiceNetArgs, NetguardInputError } from "../../components";
import { runInline } from "../helpers/runInline";

/** Runs `declare` as a program and returns the message it failed with. */
async function failure(declare: () => void): Promise<string> {
    try {
        await runInline(declare);
    } catch (err) {
        return (err as Error).message;
    }
    assert.fail("the program was expected to fail");
}

function net(name: string, args: IsolatedServiceNetArgs): () => void {
    return () => {
        new IsolatedServiceNet(name, args);
    };
}

describe("component input errors", () => {
    it("refuses child names that collide across nets, naming both (net a + service b-c, net a-b + service c)", async () => {
        const message = await failure(() => {
            new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { "b-c": { image: "x" } } });
            new IsolatedServiceNet("a-b", { subnet: "10.20.2.0/24", services: { c: { image: "x" } } });
        });
        assert.match(message, /IsolatedServiceNet "a-b": services key = "c": makes the container name "a-b-c", which IsolatedServiceNet "a" \(services\.b-c\) already makes/);
        const dual = await failure(() => {
            const a = new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { "b-c": { image: "x" } } });
            const b = new IsolatedServiceNet("b", { subnet: "10.20.2.0/24" });
            new DualHomedContainer("a-b-c", { image: "x", attachments: [{ net: a }, { net: b }] });
        });
        assert.match(dual, /DualHomedContainer "a-b-c": name = "a-b-c": is the container name IsolatedServiceNet "a" \(services\.b-c\) already makes/);
    });

    it("lets each program run name its children afresh", async () => {
        for (let run = 0; run < 2; run++) {
            await runInline(() => new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { "b-c": { image: "x" } } }));
        }
    });

    const cases: { title: string; declare: () => void; expected: RegExp }[] = [
        { title: "malformed subnet", declare: net("n", { subnet: "10.20.1.0/33" }), expected: /IsolatedServiceNet "n": subnet = "10\.20\.1\.0\/33": .*prefix/ },
        { title: "subnet that is not CIDR", declare: net("n", { subnet: "banana" }), expected: /IsolatedServiceNet "n": subnet = "banana"/ },
        { title: "subnet with host bits", declare: net("n", { subnet: "10.20.1.5/24" }), expected: /subnet = "10\.20\.1\.5\/24": host bits are set; did you mean 10\.20\.1\.0\/24/ },
        { title: "gateway outside the subnet", declare: net("n", { subnet: "10.20.1.0/24", gateway: "10.20.2.1" }), expected: /IsolatedServiceNet "n": gateway = "10\.20\.2\.1": is outside the subnet 10\.20\.1\.0\/24/ },
        { title: "gateway on the broadcast address", declare: net("n", { subnet: "10.20.1.0/24", gateway: "10.20.1.255" }), expected: /gateway = "10\.20\.1\.255": is the network or broadcast/ },
        { title: "ip range outside the subnet", declare: net("n", { subnet: "10.20.1.0/24", ipRange: "10.20.0.0/25" }), expected: /ipRange = "10\.20\.0\.0\/25": is not inside the subnet/ },
        {
            title: "static address outside the subnet",
            declare: net("n", { subnet: "10.20.1.0/24", services: { db: { image: "x", ipv4Address: "10.20.9.9" } } }),
            expected: /IsolatedServiceNet "n": services\.db\.ipv4Address = "10\.20\.9\.9": is outside the subnet/,
        },
        {
            title: "static address on the gateway",
            declare: net("n", { subnet: "10.20.1.0/24", services: { db: { image: "x", ipv4Address: "10.20.1.1" } } }),
            expected: /services\.db\.ipv4Address = "10\.20\.1\.1": is the gateway/,
        },
        {
            title: "static address inside the dynamic range",
            declare: net("n", { subnet: "10.20.1.0/24", ipRange: "10.20.1.128/25", services: { db: { image: "x", ipv4Address: "10.20.1.200" } } }),
            expected: /services\.db\.ipv4Address = "10\.20\.1\.200": is inside the dynamic ip range 10\.20\.1\.128\/25/,
        },
        {
            title: "duplicate static addresses",
            declare: net("n", { subnet: "10.20.1.0/24", services: { a: { image: "x", ipv4Address: "10.20.1.9" }, b: { image: "x", ipv4Address: "10.20.1.9" } } }),
            expected: /services\.b\.ipv4Address = "10\.20\.1\.9": is already taken by service "a"/,
        },
        {
            title: "subnet too small for its members",
            declare: net("n", { subnet: "10.20.1.0/30", services: { a: { image: "x" }, b: { image: "x" } } }),
            expected: /IsolatedServiceNet "n": subnet = "10\.20\.1\.0\/30": is too small for its 2 services/,
        },
        { title: "invalid alias", declare: net("n", { subnet: "10.20.1.0/24", services: { a: { image: "x", aliases: ["bad name"] } } }), expected: /services\.a\.aliases\[0\] = "bad name"/ },
        { title: "pool that cannot hold the prefix", declare: net("n", { addressPool: "10.1.0.0/24", prefixLength: 16 }), expected: /prefixLength = 16/ },
        {
            title: "fewer than two distinct nets for a dual-homed container",
            declare: () => {
                const a = new IsolatedServiceNet("a", { subnet: "10.20.1.0/24" });
                new DualHomedContainer("api", { image: "x", attachments: [{ net: a }, { net: a }] });
            },
            expected: /DualHomedContainer "api": attachments = \[.*\]: must name at least two distinct nets/,
        },
        {
            title: "a dual-homed static address taken by a service",
            declare: () => {
                const a = new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { db: { image: "x", ipv4Address: "10.20.1.10" } } });
                const b = new IsolatedServiceNet("b", { subnet: "10.20.2.0/24" });
                new DualHomedContainer("api", { image: "x", attachments: [{ net: a, ipv4Address: "10.20.1.10" }, { net: b }] });
            },
            expected: /DualHomedContainer "api": attachments\[0\]\.ipv4Address = "10\.20\.1\.10": is already taken by service "db" on IsolatedServiceNet "a"/,
        },
    ];

    for (const { title, declare, expected } of cases) {
        it(`rejects ${title}`, async () => {
            assert.match(await failure(declare), expected);
        });
    }

    it("throws NetguardInputError at construction, naming component, field and value", async () => {
        await runInline(() => {
            assert.throws(
                () => new IsolatedServiceNet("n", { subnet: "10.0.0.0/8", gateway: "192.168.0.1" }),
                (err: unknown) =>
                    err instanceof NetguardInputError && err.component === 'IsolatedServiceNet "n"' && err.field === "gateway" && err.value === "192.168.0.1",
            );
        });
    });

    it("reports an allocation collision naming both nets and asking for a pinned subnet", async () => {
        // A /8 pool holds one /8: every allocated net lands on it.
        const message = await failure(() => {
            new IsolatedServiceNet("first", { addressPool: "10.0.0.0/8", prefixLength: 8 });
            new IsolatedServiceNet("second", { addressPool: "10.0.0.0/8", prefixLength: 8 });
        });
        assert.match(message, /IsolatedServiceNet "second".*overlaps IsolatedServiceNet "first".*Pin a subnet/);
    });
});
