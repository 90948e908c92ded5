/**
 * What the shell reader hands on besides a command's words: its standard
 * input, its known output, the files its output goes to, its environment,
 * and whether ssh runs it elsewhere.
 */
import * as assert from "assert";
import { ShellCommand, splitShellCommands } from "../../../../../readers/commandLine/shell/shellScript";
import { UNKNOWN } from "../../../../../topology/model";

const named = (commands: ShellCommand[], program: string) => commands.find((command) => command.words[0].text === program)!;

describe("readers/commandLine/shell/shellCommand", () => {
    it("hands on a quoted heredoc literally, an unquoted one expanded with known variables", () => {
        const quoted = splitShellCommands("A=1\ncat > f <<'EOF'\nx: $A \\$B\nEOF\n");
        assert.strictEqual(named(quoted, "cat").input, "x: $A \\$B\n");
        assert.strictEqual(named(quoted, "cat").output, "x: $A \\$B\n", "cat writes what it reads");
        const unquoted = splitShellCommands("A=1\ncat <<EOF\nx: $A ${A} \\$B $\nEOF\n");
        assert.strictEqual(named(unquoted, "cat").input, "x: 1 1 $B $\n");
        for (const body of ["$(date)", "`date`", "${A:-2}", "$1", "$UNSET"]) {
            assert.strictEqual(named(splitShellCommands(`A=1\ncat <<EOF\n${body}\nEOF\n`), "cat").input, UNKNOWN, body);
        }
    });

    it("hands on here-strings, echo's output and the files output is redirected to", () => {
        const commands = splitShellCommands("echo 'a: 1' > one.yaml\ncat <<< 'b' >> two.yaml");
        const echo = named(commands, "echo");
        assert.strictEqual(echo.output, "a: 1\n");
        assert.deepStrictEqual(echo.writes?.map((w) => [w.file.text, w.append]), [["one.yaml", false]]);
        const cat = named(commands, "cat");
        assert.strictEqual(cat.input, "b\n");
        assert.deepStrictEqual(cat.writes?.map((w) => [w.file.text, w.append]), [["two.yaml", true]]);
    });

    it("hands on the environment a command sees: exported variables and its own prefixes, not plain assignments", () => {
        const commands = splitShellCommands("export A=1\nB=2\nC=3 docker compose up", new Map([["E", "env"]]));
        const env = named(commands, "docker").env;
        assert.deepStrictEqual([...env].sort(), [["A", "1"], ["C", "3"], ["E", "env"]]);
    });

    it("marks the commands ssh runs as remote", () => {
        const commands = splitShellCommands("docker ps\nssh host 'docker compose up'");
        assert.deepStrictEqual(commands.map((c) => [c.words[0].text, c.remote === true]), [["docker", false], ["docker", true]]);
    });
});
