/**
 * Markdown-aware chunking. A chunk never spans two top-level (`#` / `##`) sections, packs
 * paragraphs and sub-sections up to `targetChars`, keeps a heading with the text under it,
 * and when a section is cut for size the next chunk starts with the last `overlapChars` of
 * the previous one, so a sentence on the seam is retrievable from both sides.
 */
export interface ChunkOptions {
  /** Chunk size aimed at, in characters; default 900 (about 150-200 words, near USE's sweet spot). */
  targetChars?: number;
  /** Characters carried over when a section is cut for size; default 150. */
  overlapChars?: number;
}

export interface TextChunk {
  index: number;
  text: string;
  /** The heading path the chunk starts under, outermost first. */
  headings: string[];
}

interface Block {
  text: string;
  headings: string[];
  /** Blocks of different top-level sections never share a chunk. */
  section: string;
}

const headingPattern = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const fencePattern = /^\s*(```|~~~)/;

export function chunkMarkdown(markdown: string, options: ChunkOptions = {}): TextChunk[] {
  const target = options.targetChars ?? 900;
  const overlap = options.overlapChars ?? 150;
  const chunks: TextChunk[] = [];
  let parts: string[] = [];
  let size = 0;
  let current: Block | undefined;

  const flush = (): void => {
    if (current && parts.length > 0) chunks.push({ index: chunks.length, text: parts.join('\n\n'), headings: current.headings });
    parts = [];
    size = 0;
  };

  for (const block of splitBlocks(markdown)) {
    for (const piece of splitLongText(block.text, target)) {
      const sameSection = current?.section === block.section;
      if (current && (!sameSection || size + piece.length > target) && parts.length > 0) {
        const carried = sameSection ? takeTail(parts.join('\n\n'), overlap) : '';
        flush();
        if (carried) {
          parts.push(carried);
          size = carried.length;
        }
        current = block;
      }
      if (!current || parts.length === 0) current = block;
      parts.push(piece);
      size += piece.length + 2;
    }
  }
  flush();
  return chunks;
}

/** Paragraph-level blocks, each heading glued to the block that follows it. */
function splitBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const stack: string[] = [];
  let lines: string[] = [];
  let pendingHeadings: string[] = [];
  let inFence = false;
  let headings: string[] = [];
  let section = '';

  const push = (): void => {
    const body = lines.join('\n').trim();
    lines = [];
    if (!body) return;
    blocks.push({ text: [...pendingHeadings, body].join('\n'), headings, section });
    pendingHeadings = [];
  };

  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (fencePattern.test(line)) inFence = !inFence;
    const heading = inFence ? null : headingPattern.exec(line);
    if (heading?.[1] && heading[2]) {
      push();
      const level = heading[1].length;
      stack.length = Math.min(stack.length, level - 1);
      stack[level - 1] = heading[2];
      headings = stack.filter((text): text is string => text !== undefined);
      if (level <= 2) section = headings.slice(0, 2).join(' > ');
      pendingHeadings.push(line.trim());
    } else if (!inFence && line.trim() === '') {
      push();
    } else {
      lines.push(line.trimEnd());
    }
  }
  push();
  if (pendingHeadings.length > 0) blocks.push({ text: pendingHeadings.join('\n'), headings, section });
  return blocks;
}

/** Cuts text longer than `limit` at line, then sentence, then word boundaries. */
function splitLongText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const units: { text: string; separator: string }[] = [];
  for (const line of text.split('\n')) {
    const words = line.length <= limit ? [line] : line.split(/(?<=[.!?;])\s+/).flatMap((s) => (s.length <= limit ? [s] : s.split(/\s+/)));
    words.forEach((word, position) => units.push({ text: word.slice(0, limit), separator: position === 0 ? '\n' : ' ' }));
  }
  const pieces: string[] = [];
  let piece = '';
  for (const unit of units) {
    if (piece && piece.length + 1 + unit.text.length > limit) {
      pieces.push(piece);
      piece = '';
    }
    piece = piece ? `${piece}${unit.separator}${unit.text}` : unit.text;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** The last `size` characters of `text`, starting at a line or word boundary. */
function takeTail(text: string, size: number): string {
  if (size <= 0 || text.length <= size) return size <= 0 ? '' : text;
  const tail = text.slice(-size);
  const newline = tail.indexOf('\n');
  if (newline >= 0 && newline < tail.length - 1) return tail.slice(newline + 1).trim();
  const space = tail.indexOf(' ');
  return (space >= 0 ? tail.slice(space + 1) : tail).trim();
}
