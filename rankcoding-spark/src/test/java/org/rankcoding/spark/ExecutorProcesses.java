package org.rankcoding.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What the executors of a session are: their JVMs' process ids, from a job with one task per executor slot. */
final class ExecutorProcesses {

    private ExecutorProcesses() {
    }

    static List<Object> executorPids(SparkSession spark, int tasks) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < 4 * tasks; i++) {
            slots.add(i);
        }
        List<Long> pids = new JavaSparkContext(spark.sparkContext()).parallelize(slots, 4 * tasks)
                .map(i -> ProcessHandle.current().pid()).collect();
        return new ArrayList<>(new TreeSet<>(pids));
    }
}
