package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Shown;
import java.util.ArrayList;
import java.util.List;

/** "Did you mean --status?" for a mistyped option: the closest option names by edit distance, or the one it begins. */
final class OptionSuggestions {
    private OptionSuggestions() {
    }

    /** One line for each unknown option that has a close match; none for positional words or far-off names. */
    static List<String> didYouMean(List<String> unmatched, List<String> optionNames) {
        List<String> lines = new ArrayList<>();
        for (String typed : unmatched) {
            if (!typed.startsWith("-")) {
                continue;
            }
            List<String> close = closest(typed, optionNames);
            if (!close.isEmpty()) {
                lines.add("Did you mean " + String.join(" or ", close) + " instead of " + Shown.quote(typed) + "?");
            }
        }
        return lines;
    }

    /** The option names nearest to {@code typed} (its {@code =value} part left out), or none when none is near. */
    static List<String> closest(String typed, List<String> optionNames) {
        int eq = typed.indexOf('=');
        String name = eq > 0 ? typed.substring(0, eq) : typed;
        String bare = bare(name);
        if (bare.isEmpty() || bare.length() > 64) {
            return List.of();
        }
        List<String> prefixed = optionNames.stream().filter(o -> bare.length() >= 3 && bare(o).startsWith(bare)).toList();
        if (prefixed.size() == 1) {
            return prefixed;
        }
        int limit = bare.length() <= 4 ? 1 : Math.min(3, Math.max(2, bare.length() / 3));
        int best = Integer.MAX_VALUE;
        List<String> out = new ArrayList<>();
        for (String option : optionNames) {
            if (option.equals(name)) {
                continue;
            }
            int d = distance(bare, bare(option));
            if (d > limit || d > best) {
                continue;
            }
            if (d < best) {
                best = d;
                out.clear();
            }
            out.add(option);
        }
        return out;
    }

    private static String bare(String option) {
        int i = 0;
        while (i < option.length() && option.charAt(i) == '-') {
            i++;
        }
        return option.substring(i).toLowerCase(java.util.Locale.ROOT);
    }

    /** Edits (insert, delete, replace, swap two neighbours) from a to b: optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
