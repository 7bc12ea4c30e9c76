package dev.ferry.coordinator.job;

/**
 * What {@link JobIndexer} keeps in step with the jobs a member owns (the lease package's ready
 * index). The indexer calls it under the listener's own lock, so a change never interleaves
 * with a rebuild.
 */
public interface JobChanges {

    /** A job this member owns changed (on its partition thread) or was read by a rebuild. */
    void onJob(Job job);

    /** Forgets every job: a rebuild follows. */
    void clear();
}
