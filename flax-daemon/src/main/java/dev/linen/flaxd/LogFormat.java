package dev.linen.flaxd;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * flaxd's log lines: one line per record in logfmt ({@code key=value}, values with spaces, quotes or
 * line breaks quoted and escaped), so that log collectors can parse them:
 * {@code ts=… level=INFO logger=dev.linen.flaxd.Flaxd msg="…" error="…"}. This covers flaxd's own
 * logs and, through slf4j-jdk14, those of fabric8, openflowjava and the ovsdb library.
 */
public final class LogFormat extends Formatter {

    /** Makes every log record of this process go to stderr in this format, from INFO up. */
    public static void install() {
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new LogFormat());
        handler.setLevel(Level.INFO);
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("ts=").append(Instant.ofEpochMilli(r.getMillis()));
        sb.append(" level=").append(r.getLevel().getName());
        sb.append(" logger=").append(value(r.getLoggerName() == null ? "" : r.getLoggerName()));
        sb.append(" msg=").append(value(formatMessage(r)));
        if (r.getThrown() != null) {
            sb.append(" error=").append(value(r.getThrown().toString()));
        }
        return sb.append('\n').toString();
    }

    /** The value as is when it is a plain token, else in double quotes with \, " and line breaks escaped. */
    static String value(String v) {
        boolean plain = !v.isEmpty();
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
        }
        if (plain) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < ' ' ? ' ' : c);
            }
        }
        return sb.append('"').toString();
    }
}
