package io.audioflow.transforms.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {
  @Test
  void workWithinTheBudgetReturnsItsResultAndItsOwnFailures() throws Exception {
    try (TimeBudget budget = new TimeBudget(5)) {
      assertEquals("done", budget.run("open", stage -> "done", () -> {}));
      AnalysisException e = assertThrows(AnalysisException.class, () -> budget.run("open", stage -> {
        throw new AnalysisException(ErrorClass.EMPTY, "open", "file has 0 bytes");
      }, () -> {}));
      assertEquals(ErrorClass.EMPTY, e.errorClass());
      assertThrows(IllegalStateException.class, () -> budget.run("open", stage -> {
        throw new IllegalStateException("bug");
      }, () -> {}));
      assertFalse(budget.abandoned());
    }
  }

  @Test
  void stalledWorkIsAbandonedAtTheBudgetAndCleanedUpWhenItEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean cleaned = new AtomicBoolean();
    AtomicReference<Thread> stalledThread = new AtomicReference<>();
    try (TimeBudget budget = new TimeBudget(0.3)) {
      long start = System.nanoTime();
      AnalysisException e = assertThrows(AnalysisException.class, () -> budget.run("open", stage -> {
        stage.set("tagging");
        stalledThread.set(Thread.currentThread());
        // Deaf to interrupts, like a native call that never returns.
        while (release.getCount() > 0) {
          try {
            release.await();
          } catch (InterruptedException ignored) {
            // keeps waiting
          }
        }
        return "late";
      }, () -> cleaned.set(true)));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(ErrorClass.TIMEOUT, e.errorClass());
      assertEquals("tagging", e.stage());
      assertTrue(e.getMessage().contains("in stage tagging"), e.getMessage());
      assertTrue(seconds >= 0.3 && seconds < 2.5, "abandoned after " + seconds + " s");
      assertTrue(budget.abandoned());
      assertFalse(cleaned.get(), "the stalled work still holds its resources");

      // The next file runs at once, on another thread.
      AtomicReference<Thread> next = new AtomicReference<>();
      assertEquals("next", budget.run("open", stage -> {
        next.set(Thread.currentThread());
        return "next";
      }, () -> {}));
      assertNotEquals(stalledThread.get(), next.get());
      assertFalse(budget.abandoned());

      release.countDown();
      stalledThread.get().join(5000);
      assertTrue(cleaned.get(), "the abandoned work released its resources when it ended");
    }
  }

  @Test
  void interruptibleWorkStopsWhenAbandoned() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (TimeBudget budget = new TimeBudget(0.2)) {
      assertThrows(AnalysisException.class, () -> budget.run("analyze", stage -> {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          stopped.countDown();
        }
        return null;
      }, () -> {}));
      assertTrue(stopped.await(5, TimeUnit.SECONDS), "interrupted");
    }
  }

  @Test
  void aGrowingBudgetFollowsTheWorksProgress() throws Exception {
    try (TimeBudget budget = new TimeBudget(0.2)) {
      AtomicLong extra = new AtomicLong();
      String result = budget.run("separate", stage -> {
        for (int i = 0; i < 8; i++) {
          extra.addAndGet(100_000_000L); // each step earns 0.1 s more than the 0.1 s it takes
          sleep(100);
        }
        return "whole file";
      }, () -> {}, extra::get);
      assertEquals("whole file", result);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void zeroRunsInlineWithoutALimit() throws Exception {
    try (TimeBudget budget = new TimeBudget(0)) {
      Thread caller = Thread.currentThread();
      assertEquals(caller, budget.run("open", stage -> Thread.currentThread(), () -> {}));
    }
    assertThrows(IllegalArgumentException.class, () -> new TimeBudget(-1));
    assertThrows(IllegalArgumentException.class, () -> new TimeBudget(Double.NaN));
  }
}
