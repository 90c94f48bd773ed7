package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SysNet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plugin's answers in-process: the version errors are answered in, stdin decoding, VERSION. */
class LinenTest {
    private static final Map<String, String> POD = Map.of("CNI_CONTAINERID", "c", "CNI_NETNS", "/x", "CNI_IFNAME", "eth0");

    @TempDir
    Path sys;

    private record Answer(int rc, JObject json) {
        String field(String key) {
            return json.get(key).map(Json::write).orElse("none");
        }
    }

    private Answer run(String command, Map<String, String> cniEnv, byte[] stdin) throws JsonException {
        Map<String, String> env = new HashMap<>(cniEnv);
        env.put("CNI_COMMAND", command);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = new Linen(new SysNet(sys)).run(env, new ByteArrayInputStream(stdin), out);
        return new Answer(rc, (JObject) Json.parse(out.toString(StandardCharsets.UTF_8)));
    }

    private Answer run(String command, Map<String, String> cniEnv, String stdin) throws JsonException {
        return run(command, cniEnv, stdin.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.2.0", "0.4.0", "1.0.0"})
    void aConfigErrorAnswersInTheConfigsOwnVersion(String version) throws JsonException {
        Answer a = run("ADD", POD, "{\"cniVersion\":\"" + version + "\",\"name\":\"n\",\"type\":\"linen\","
                + "\"vtepIPs\":[\"10.0.0.300\"],\"prevResult\":{}}");
        assertEquals(1, a.rc());
        assertEquals("7", a.field("code"));
        assertEquals("\"" + version + "\"", a.field("cniVersion"));
    }

    @Test
    void anEnvironmentErrorAnswersInTheConfigsOwnVersion() throws JsonException {
        Answer a = run("ADD", Map.of("CNI_IFNAME", "eth0"), "{\"cniVersion\":\"0.3.1\",\"name\":\"n\",\"type\":\"linen\"}");
        assertEquals("4", a.field("code"));
        assertEquals("\"0.3.1\"", a.field("cniVersion"));
    }

    @Test
    void aVersionNotSpokenHereIsAnsweredInTheLatest() throws JsonException {
        Answer a = run("ADD", POD, "{\"cniVersion\":\"2.0.0\",\"name\":\"n\",\"type\":\"linen\"}");
        assertEquals("1", a.field("code"));
        assertEquals("\"1.1.0\"", a.field("cniVersion"));
    }

    @Test
    void stdinThatIsNotUtf8IsADecodeError() throws JsonException {
        String text = "{\"cniVersion\":\"1.0.0\",\"name\":\"n?\",\"type\":\"linen\"}";
        byte[] stdin = text.getBytes(StandardCharsets.US_ASCII);
        stdin[text.indexOf('?')] = (byte) 0xff; // no UTF-8 sequence starts with 0xff
        Answer a = run("ADD", POD, stdin);
        assertEquals(1, a.rc());
        assertEquals("6", a.field("code"));
    }

    @Test
    void aRealReplacementCharacterIsValidUtf8() throws JsonException {
        Answer a = run("ADD", POD, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\uFFFD\u00e9\",\"type\":\"linen\"}");
        assertEquals("7", a.field("code"), "decoded, then refused for the missing prevResult: " + a.json());
    }

    @Test
    void versionAdvertisesEverySpecVersion() throws JsonException {
        Answer a = run("VERSION", Map.of(), "{\"cniVersion\":\"0.2.0\"}");
        assertEquals(0, a.rc());
        assertEquals("\"0.2.0\"", a.field("cniVersion"));
        assertEquals("[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]", a.field("supportedVersions"));
    }
}
