package org.lnpsaxs.cli;

import org.lnpsaxs.core.data.EntrySelector;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --entry N|NAME|all}: which curve to read from a file that holds several (canSAS XML and
 * NXcanSAS files may), as a picocli mixin for every command that reads curves:
 * <pre>{@code
 * @Mixin EntryOption entry;
 * ... CurveReader.defaults().withEntry(entry.selector()).read(path) ...
 * }</pre>
 * Without the option a file must hold one curve (the reader's message lists them otherwise).
 * Numbers count from 1, as {@code lnpsaxs inspect} lists the entries.
 */
final class EntryOption {

    @Option(names = "--entry", paramLabel = "N|NAME|all", converter = Converter.class,
            description = {"which curve of a file that holds several (canSAS XML, NXcanSAS): its number from 1"
                + " (as 'lnpsaxs inspect' lists them), its name, or all; default: the file's only curve"})
    EntrySelector selector = EntrySelector.only();

    /** The selection; {@link EntrySelector#only()} when the option was not given. */
    EntrySelector selector() {
        return selector;
    }

    /** Whether the option asks for every curve. */
    boolean all() {
        return selector.isAll();
    }

    /** Parses the option with {@link EntrySelector#parse(String)}. */
    static final class Converter implements CommandLine.ITypeConverter<EntrySelector> {
        @Override
        public EntrySelector convert(String value) {
            try {
                return EntrySelector.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
