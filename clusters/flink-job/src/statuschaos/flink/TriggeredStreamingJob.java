package statuschaos.flink;

import java.io.File;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * The streaming job statuschaos runs on a real Flink application cluster: a source that never
 * ends, a keyed map and a sink (two job vertices in one slot). The harness ends it from outside
 * through files, because a real job cannot be told to fail or finish any other way:
 *
 * <pre>
 *   --triggers DIR   DIR/fail present: the source throws (the job FAILS: restart strategy none)
 *                    DIR/finish present: the source returns (the job FINISHES)
 *   --name NAME      the job name Flink reports in /jobs/overview
 * </pre>
 */
public final class TriggeredStreamingJob {
    private static final long EMIT_EVERY_MS = 200;

    private TriggeredStreamingJob() {}

    public static void main(String[] args) throws Exception {
        String triggers = null;
        String name = "statuschaos-job";
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + args[i] + " needs a value");
            if (args[i].equals("--triggers")) triggers = args[i + 1];
            else if (args[i].equals("--name")) name = args[i + 1];
            else throw new IllegalArgumentException("unknown option " + args[i] + " (known: --triggers DIR, --name NAME)");
        }
        if (triggers == null) throw new IllegalArgumentException("--triggers DIR is required");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.addSource(new TriggeredSource(triggers)).name("triggered-source")
                .keyBy(new Bucket())
                .map(new Doubler()).name("double")
                .addSink(new DiscardingSink<>()).name("discard");
        env.execute(name);
    }

    /** Emits a counter until a trigger file says to fail or to finish. */
    static final class TriggeredSource implements SourceFunction<Long> {
        private final String triggers;
        private volatile boolean cancelled;

        TriggeredSource(String triggers) {
            this.triggers = triggers;
        }

        @Override
        public void run(SourceContext<Long> out) throws Exception {
            File fail = new File(triggers, "fail");
            File finish = new File(triggers, "finish");
            long next = 0;
            while (!cancelled) {
                if (fail.exists()) throw new IllegalStateException("statuschaos fail-job: " + fail + " exists");
                if (finish.exists()) return; // a bounded source ends: the job FINISHES
                synchronized (out.getCheckpointLock()) {
                    out.collect(next++);
                }
                Thread.sleep(EMIT_EVERY_MS);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** Named classes rather than lambdas: they reach the TaskManager through the user-code class loader. */
    static final class Bucket implements KeySelector<Long, Long> {
        @Override
        public Long getKey(Long value) {
            return value % 4;
        }
    }

    static final class Doubler implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) {
            return value * 2;
        }
    }
}
