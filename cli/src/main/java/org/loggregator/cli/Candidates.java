package org.loggregator.cli;

import java.util.List;

/** The values shell completion offers for options that take one of a few words. */
final class Candidates {
  private Candidates() {}

  static final class Formats extends Words {
    Formats() {
      super("seed", "modern", "json");
    }
  }

  static final class ColorModes extends Words {
    ColorModes() {
      super("auto", "always", "never");
    }
  }

  static final class MessageTypes extends Words {
    MessageTypes() {
      super("out", "err");
    }
  }

  static final class Shells extends Words {
    Shells() {
      super("bash", "zsh");
    }
  }

  private abstract static class Words implements Iterable<String> {
    private final List<String> words;

    Words(String... words) {
      this.words = List.of(words);
    }

    @Override
    public java.util.Iterator<String> iterator() {
      return words.iterator();
    }
  }
}
