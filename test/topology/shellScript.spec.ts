import * as assert from "assert";
import fc from "fast-check";
import { ShellCommand, splitShellCommands } from "../../topology/shellScript";

/** Words of each command; unknown words as `?<known part>`. */
function words(commands: ShellCommand[]): string[][] {
    return commands.map((command) => command.words.map((word) => (word.known ? word.text : `?${word.text}`)));
}

describe("topology/shellScript", () => {
    it("removes quotes and escapes like a shell", () => {
        const script = `docker run --name="a b" -e 'X=$HOME "q"' -e "Y=\\"q\\" \\$Z" a\\ b`;
        assert.deepStrictEqual(words(splitShellCommands(script)), [["docker", "run", "--name=a b", "-e", 'X=$HOME "q"', "-e", 'Y="q" $Z', "a b"]]);
    });

    it("splits on ; && || | & and newlines, and numbers the lines", () => {
        const commands = splitShellCommands("a 1; b 2 && c 3\nd || e | f & g\n\n  h");
        assert.deepStrictEqual(words(commands), [["a", "1"], ["b", "2"], ["c", "3"], ["d"], ["e"], ["f"], ["g"], ["h"]]);
        assert.deepStrictEqual(commands.map((c) => c.line), [1, 1, 1, 2, 2, 2, 2, 4]);
    });

    it("joins continued lines and keeps counting them", () => {
        const commands = splitShellCommands("docker run \\\n  --network app \\\r\n  img\nnext");
        assert.deepStrictEqual(words(commands), [["docker", "run", "--network", "app", "img"], ["next"]]);
        assert.deepStrictEqual(commands.map((c) => c.line), [1, 4]);
    });

    it("drops comments and redirections", () => {
        const script = "docker network inspect x >/dev/null 2>&1 || docker network create x # make it\n# docker run --link y img\nrun &> log < in";
        assert.deepStrictEqual(words(splitShellCommands(script)), [["docker", "network", "inspect", "x"], ["docker", "network", "create", "x"], ["run"]]);
        assert.deepStrictEqual(words(splitShellCommands("echo a#b")), [["echo", "a#b"]]);
    });

    it("strips assignments, sudo/env prefixes and control keywords so the program comes first", () => {
        const script = "if ! sudo -u root docker ps; then FOO=1 env -i BAR=2 docker run img; fi\nwhile true; do exec nohup docker x; done";
        assert.deepStrictEqual(words(splitShellCommands(script)), [
            ["docker", "ps"],
            ["docker", "run", "img"],
            ["true"],
            ["docker", "x"],
        ]);
    });

    it("expands variables the environment gives and marks every other expansion unknown", () => {
        const env = new Map([["NET", "app"], ["IP", "10.0.0.5"]]);
        const script = "docker run --network $NET --ip=${IP} --name $NAME --label=x$(date) `hostname` \"$1\" '$NET' cost\\$ $";
        assert.deepStrictEqual(words(splitShellCommands(script, env)), [
            ["date"],
            ["hostname"],
            ["docker", "run", "--network", "app", "--ip=10.0.0.5", "--name", "?", "?--label=x", "?", "?", "$NET", "cost$", "$"],
        ]);
    });

    it("never throws, whatever the text (property)", () => {
        fc.assert(
            fc.property(fc.string({ unit: fc.constantFrom(..."docker run -\\'\"$(){}`;&|<>#\n ab=:".split("")) }), (script) => {
                splitShellCommands(script);
            }),
            { numRuns: 2000 },
        );
    });
});
