package dev.cara.ctl;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextTableTest {
    @Test
    void columnsAreAsWideAsTheirWidestCellPlusThreeSpacesAndLinesHaveNoTrailingBlanks() {
        StringWriter sw = new StringWriter();
        new TextTable(List.of("NAME", "STATE", "AGE"))
                .add(List.of("a-rather-long-name", "Ready", "5d"))
                .add(List.of("b", "NotReady", "12m"))
                .print(new PrintWriter(sw, true));
        assertEquals("""
                NAME                 STATE      AGE
                a-rather-long-name   Ready      5d
                b                    NotReady   12m
                """, sw.toString());
    }

    @Test
    void streamedRowsKeepTheWidthsFixedAtTheStart() {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw, true);
        TextTable t = new TextTable(List.of("NAME", "AGE")).minimumWidths(8);
        t.printHeader(pw);
        t.printRow(pw, List.of("w1", "1s"));
        t.printRow(pw, List.of("worker-02", "2s"));
        assertEquals("""
                NAME       AGE
                w1         1s
                worker-02   2s
                """, sw.toString());
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable(List.of("A", "B")).add(List.of("x")));
    }
}
