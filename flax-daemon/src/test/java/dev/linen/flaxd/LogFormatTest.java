package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    private static LogRecord record(Level level, String msg, Object... params) {
        LogRecord r = new LogRecord(level, msg);
        r.setLoggerName("dev.linen.flaxd.Flaxd");
        r.setInstant(java.time.Instant.parse("2026-11-24T10:00:00.123Z"));
        r.setParameters(params.length == 0 ? null : params);
        return r;
    }

    @Test
    void oneLineOfKeyValuePairs() {
        assertEquals("ts=2026-11-24T10:00:00.123Z level=INFO logger=dev.linen.flaxd.Flaxd msg=\"flow round 3 installed\"\n",
                new LogFormat().format(record(Level.INFO, "flow round {0} installed", 3)));
    }

    @Test
    void quotesLineBreaksAndErrorsAreEscaped() {
        LogRecord r = record(Level.WARNING, "reconcile \"*\" failed\nretrying");
        r.setThrown(new IllegalStateException("vxlan0 has no OpenFlow port yet"));
        assertEquals("ts=2026-11-24T10:00:00.123Z level=WARNING logger=dev.linen.flaxd.Flaxd "
                + "msg=\"reconcile \\\"*\\\" failed\\nretrying\" "
                + "error=\"java.lang.IllegalStateException: vxlan0 has no OpenFlow port yet\"\n",
                new LogFormat().format(r));
    }

    @Test
    void plainTokensStayBareAndEmptyIsQuoted() {
        assertEquals("ready", LogFormat.value("ready"));
        assertEquals("\"\"", LogFormat.value(""));
        assertEquals("\"a=b\"", LogFormat.value("a=b"));
        assertEquals("\"back\\\\slash\"", LogFormat.value("back\\slash"));
    }
}
