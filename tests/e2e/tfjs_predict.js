// TensorFlow.js's own predictions, the peer of tests/e2e/tfjs_agreement.sh: loads a layers
// model (model.json and its shards) from disk with the pure-JavaScript CPU backend and
// prints one JSON array of class probabilities per input, each input a raw float32 file of
// the model's (height, width, channels) values.
// Usage: node tfjs_predict.js TFJS_NODE_MODULES MODEL_JSON INPUT.f32...
const path = require("path");
const fs = require("fs");
const [modules, modelJson, ...inputs] = process.argv.slice(2);
const tf = require(path.join(modules, "@tensorflow/tfjs"));

async function main() {
  const dir = path.dirname(modelJson);
  const model = await tf.loadLayersModel({
    load: async () => {
      const m = JSON.parse(fs.readFileSync(modelJson));
      const specs = [], shards = [];
      for (const group of m.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) shards.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(shards);
      return {modelTopology: m.modelTopology, weightSpecs: specs,
              weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length)};
    },
  });
  const shape = model.inputs[0].shape.slice(1);
  for (const input of inputs) {
    const bytes = fs.readFileSync(input);
    const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const y = tf.tidy(() => model.predict(tf.tensor(values, [1, ...shape])));
    console.log(JSON.stringify(Array.from(await y.data())));
    y.dispose();
  }
}
tf.setBackend("cpu").then(main);
