package io.whatap.wire;

/** One decoded (or to-be-encoded) frame. {@link #type()} is its {@link PackType} code. */
public sealed interface Pack permits TxStartPack, TxEndPack, TxDbConnPack, TxSqlPack, TxHttpcPack,
    TxErrorPack, TxMsgPack, TxMethodPack, TxStartEndPack, TxParamPack, ActiveStackPack,
    ActiveStatsPack, DbConnPoolPack, RelayPack, StatsRowPack, StatsHitmapPack, UnknownPack {
  int type();
}
