// Public surface of the weight formats: safetensors, f16/bf16 conversions, MLC tensor-cache and
// shards, q4 group quantization. Pure TS; must not import svelte, dexie, DOM, worker or web-llm code.

export { type ByteSource, bytesSource, blobSource, assertReadRange, readIntoBuffer } from './byte-source.ts';
export { SafetensorsError, TensorCacheError, QuantizationError } from './errors.ts';
export {
	f16BitsToF32,
	f32ToF16Bits,
	bf16BitsToF32,
	f32ToBf16Bits,
	f32BitsToF16Bits,
	f32BitsToBf16Bits,
	roundToF16,
	roundToBf16,
	findNonFinite
} from './dtypes.ts';
export {
	type SafetensorsDtype,
	type SafetensorsEntry,
	type SafetensorsHeader,
	type SafetensorsWriteTensor,
	DEFAULT_MAX_HEADER_BYTES,
	MAX_HEADER_DEPTH,
	scanJsonStructure,
	safetensorsDtypeBytes,
	readSafetensorsHeader,
	readTensorBytes,
	readTensorF32,
	type TensorScratch,
	tensorScratch,
	writeSafetensors
} from './safetensors.ts';
export { type TensorLocator, SAFETENSORS_INDEX_FILE, openSafetensorsSet } from './safetensors-set.ts';
export {
	type TensorCache,
	type TensorCacheRecord,
	type TensorCacheShard,
	parseTensorCache,
	storedBytesPerElement,
	decodeRecordF32,
	encodeF32ForRecord
} from './tensor-cache.ts';
export { type ShardFlush, DEFAULT_SHARD_SIZE_BYTES, ShardPacker } from './shard-packer.ts';
export {
	type ModelDtype,
	Q4_GROUP_SIZE,
	Q4_CODES_PER_WORD,
	q4Shapes,
	quantizeQ4,
	dequantizeQ4,
	compareQ4Codes,
	type Q4CodeAgreement
} from './group-quant.ts';
