using System.Globalization;
using System.Text;

namespace Parley.Moderation.Classification;

/// <summary>Character folding: lookalikes, compatibility and mathematical letters, accents, case.</summary>
public static partial class TextNormalizer
{
    /// <summary>Folds one code point to a lower-case ASCII letter/digit, an apostrophe, a mask symbol, or '\0' (separator).</summary>
    private static char FoldCodePoint(int cp, out bool wasUpper)
    {
        wasUpper = false;
        if (cp < 0x80)
        {
            var c = (char)cp;
            if (c is >= 'A' and <= 'Z')
            {
                wasUpper = true;
                return (char)(c + 32);
            }

            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '\'' or '`')
            {
                return c == '`' ? '\'' : c;
            }

            return IsMaskSymbol(c) ? c : '\0';
        }

        if (cp < 0x10000)
        {
            var m = Fold[cp];
            if (m != '\0')
            {
                wasUpper = char.IsUpper((char)cp);
                return m;
            }

            return '\0';
        }

        // Mathematical alphanumeric symbols (bold, italic, script, fraktur, double-struck...): 52-letter blocks.
        if (cp is >= 0x1D400 and <= 0x1D6A3)
        {
            var k = (cp - 0x1D400) % 52;
            wasUpper = k < 26;
            return (char)('a' + (k % 26));
        }

        if (cp is >= 0x1D7CE and <= 0x1D7FF)
        {
            return (char)('0' + ((cp - 0x1D7CE) % 10));
        }

        // Squared / circled / negative Latin capitals and regional indicator letters.
        foreach (var start in EnclosedCapitalStarts)
        {
            if (cp >= start && cp < start + 26)
            {
                wasUpper = true;
                return (char)('a' + (cp - start));
            }
        }

        return '\0';
    }

    private static readonly int[] EnclosedCapitalStarts = [0x1F130, 0x1F150, 0x1F170, 0x1F1E6];

    private static char[] BuildFoldTable()
    {
        var t = new char[0x10000];

        // Fullwidth ASCII (NFKC).
        for (var c = 0xFF01; c <= 0xFF5E; c++)
        {
            var a = (char)(c - 0xFEE0);
            t[c] = a is >= 'A' and <= 'Z' ? (char)(a + 32) : (char.IsLetterOrDigit(a) || a is '\'' || IsMaskSymbol(a) ? a : '\0');
        }

        // Circled letters and digits.
        for (var i = 0; i < 26; i++)
        {
            t[0x24B6 + i] = (char)('a' + i);
            t[0x24D0 + i] = (char)('a' + i);
        }

        for (var i = 0; i < 9; i++)
        {
            t[0x2460 + i] = (char)('1' + i);
        }

        void Map(string from, char to)
        {
            foreach (var ch in from)
            {
                t[ch] = to;
            }
        }

        // Accented Latin (what NFD + mark removal would give) and lookalikes from Cyrillic, Greek, IPA, small caps.
        Map("ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎȀȁȂȃȦȧАаΑαάΆɑᴀ@", 'a');
        Map("ßБВЬъьβвʙ", 'b');
        Map("ÇçĆćĈĉĊċČčСсϲᴄ", 'c');
        Map("ĎďĐđԁɗᴅ", 'd');
        Map("ÈÉÊËèéêëĒēĔĕĖėĘęĚěЕеЁёЄєΕεέΈᴇ", 'e');
        Map("ƒϝ", 'f');
        Map("ĜĝĞğĠġĢģɡɢ", 'g');
        Map("ĤĥĦħНнһΗηʜ", 'h');
        Map("ÌÍÎÏìíîïĨĩĪīĬĭĮįİıІіЇїΙιίΊɪ", 'i');
        Map("ĴĵЈјϳ", 'j');
        Map("ĶķКкΚκᴋ", 'k');
        Map("ĹĺĻļĽľĿŀŁłӏʟ", 'l');
        Map("МмΜᴍ", 'm');
        Map("ÑñŃńŅņŇňΝνɴпП", 'n');
        Map("ÒÓÔÕÖØòóôõöøŌōŎŏŐőОоΟοόΌσᴏ", 'o');
        Map("РрΡρᴘ", 'p');
        Map("ԛ", 'q');
        Map("ŔŕŖŗŘřгГʀ", 'r');
        Map("ŚśŜŝŞşŠšЅѕ$", 's');
        Map("ŢţŤťŦŧТтΤτᴛ", 't');
        Map("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųμυᴜ", 'u');
        Map("νѵᴠ", 'v');
        Map("ŴŵԝᴡшШ", 'w');
        Map("ХхΧχ×", 'x');
        Map("ÝýÿŶŷŸУуҮүΥΎγ", 'y');
        Map("ŹźŻżŽžΖᴢ", 'z');
        Map("\u2019\u2018\u02BC\u00B4", '\'');
        return t;
    }
}
