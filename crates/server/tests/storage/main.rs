//! The storage conformance suite: one set of behaviour tests (`conformance`), run against
//! SQLite (`sqlite`) and against a real PostgreSQL (`postgres`), each test on its own fresh
//! database.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod conformance;
mod fixtures;
mod postgres;
mod seed;
mod sqlite;

/// Writes one `#[tokio::test]` per named conformance test, each on a fresh database from
/// `$fresh` (an async fn returning something with a `store()` method).
macro_rules! conformance_tests {
    ($fresh:path) => {
        crate::conformance_tests!(@each $fresh;
            duplicate_batch_is_applied_once,
            a_batch_after_a_gap_is_refused_with_the_expected_seq,
            overlapping_batch_applies_only_the_new_tail,
            owner_comes_from_the_device_not_the_body,
            higher_version_wins_and_the_loser_is_kept_in_history,
            a_tombstone_erases_content_and_history,
            simultaneous_first_versions_of_one_record_keep_both,
            a_device_does_not_pull_its_own_changes_but_its_sibling_does,
            pull_pages_with_more_and_cursor,
            agency_records_reach_the_caregivers_they_are_addressed_to,
            the_agency_cannot_overwrite_a_caregivers_record,
            a_refused_agency_write_is_forbidden_and_never_said_to_already_exist,
            pull_stops_at_the_byte_budget_with_more_and_the_last_cursor,
            a_device_cannot_see_another_caregivers_records,
            concurrent_writers_never_make_a_pulling_device_skip_a_change,
            used_or_expired_codes_are_refused,
            concurrent_redemptions_of_one_code_make_one_device,
            a_revoked_device_is_seen_as_revoked,
            names_are_unique_where_they_must_be,
            stats_count_by_kind,
            migrating_twice_changes_nothing,
            a_sibling_edit_that_missed_a_withdrawal_does_not_bring_the_text_back,
            deleting_an_entry_deletes_the_caregivers_messages_under_it,
            a_message_hangs_only_under_an_entry_of_the_same_caregiver,
            a_refused_change_is_reported_with_its_id_and_code,
            a_restore_renews_the_server_epoch,
            the_queue_filters_and_searches_by_readable_columns,
            the_agencys_side_of_a_need_survives_the_caregivers_edits,
            an_overdue_need_is_one_past_its_reply_date_and_not_in_progress,
            an_entry_is_unread_until_each_member_marks_it,
            rows_written_before_the_readable_columns_are_filled_in_at_start,
            sessions_end_and_throttling_locks_after_the_limit,
            the_audit_log_only_grows,
            a_read_receipt_reaches_only_the_devices_of_the_caregiver_whose_entry_was_read,
            a_read_receipt_needs_a_live_entry_of_that_caregiver_and_a_staff_author,
            agency_records_in_one_write_are_stored_all_or_none,
            the_overview_counts_by_month_category_and_outcome,
            the_overview_counts_follow_every_change_to_the_records,
            the_overview_measures_waits_from_recording_to_first_reply_and_to_the_end
        );
    };
    (@each $fresh:path; $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let db = $fresh().await;
                crate::conformance::$name(db.store()).await;
            }
        )+
    };
}

pub(crate) use conformance_tests;
