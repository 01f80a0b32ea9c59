/** Commands that create, open and close the encrypted diary. */
import { call } from "./invoke";
import type { DiaryStatus } from "./types";

export function diaryStatus(): Promise<DiaryStatus> {
  return call<DiaryStatus>("diary_status");
}

export function diaryCreate(passphrase: string): Promise<DiaryStatus> {
  return call<DiaryStatus>("diary_create", { passphrase });
}

export function diaryUnlock(passphrase: string): Promise<DiaryStatus> {
  return call<DiaryStatus>("diary_unlock", { passphrase });
}

export function diaryLock(): Promise<DiaryStatus> {
  return call<DiaryStatus>("diary_lock");
}
